using LLMDistill.Checkpoints;
using LLMDistill.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace LLMDistill.Tests.Model;

/// <summary>Full-forward logits against transformers' reference values (float32 to 1e-4; bf16 within a stated bound).</summary>
public sealed class GoldenLogitsTests
{
    [Theory]
    [InlineData("tiny-llama")]
    [InlineData("tiny-qwen2")]
    public void Forward_Float32_MatchesTransformersLogitsTo1e4(string fixture)
    {
        var reference = HfReference.Load(fixture);
        using var model = HfCheckpoint.Load(HfReference.Dir(fixture));
        var maxAbs = MaxAbsDiff(model, reference);
        Assert.True(maxAbs < 1e-4, $"max |logit - reference| = {maxAbs}");
    }

    [Theory]
    [InlineData("tiny-llama")]
    [InlineData("tiny-qwen2")]
    public void Forward_BFloat16_StaysWithinBound(string fixture)
    {
        // bf16 keeps 8 mantissa bits (relative step 2^-8 ~ 0.4%); with logits of magnitude ~3 after two layers,
        // errors of a few hundredths are expected. 0.15 is a loose bound that still catches a wrong op or layout.
        var reference = HfReference.Load(fixture);
        using var model = HfCheckpoint.Load(HfReference.Dir(fixture), dtype: ScalarType.BFloat16);
        Assert.Equal(ScalarType.BFloat16, model.Dtype);
        var maxAbs = MaxAbsDiff(model, reference);
        Assert.True(maxAbs < 0.15, $"bf16 max |logit - reference| = {maxAbs}");
    }

    [Theory]
    [InlineData("shakespeare-4m")]
    [InlineData("shakespeare-1m")]
    public void Forward_ShakespeareLastPosition_MatchesReferenceLogits(string modelName)
    {
        using var model = HfCheckpoint.Load(ShakespeareReference.Dir(modelName));
        foreach (var reference in ShakespeareReference.Load(modelName))
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            // logits_last are the logits after the whole greedy sequence (prompt + 48 generated tokens).
            var ids = tensor(reference.GreedyIds).unsqueeze(0); // (1, T)
            var logits = model.forward(new CausalLmInput(ids)).Logits!; // (1, T, V)
            var last = logits[0, -1].data<float>().ToArray();
            var maxAbs = last.Zip(reference.LogitsLast, (a, b) => Math.Abs(a - b)).Max();
            // The reference is rounded to 4 decimals.
            Assert.True(maxAbs < 2e-4, $"{modelName} '{reference.Prompt}': max |logit - reference| = {maxAbs}");
        }
    }

    private static double MaxAbsDiff(LlamaForCausalLM model, HfReference reference)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = tensor(reference.InputIds.SelectMany(r => r).ToArray()).view(reference.InputIds.Length, -1); // (B, T)
        var logits = model.forward(new CausalLmInput(ids)).Logits!.to_type(ScalarType.Float32); // (B, T, V)
        var expected = tensor(reference.Logits.SelectMany(b => b.SelectMany(t => t)).ToArray()).view(logits.shape);
        return (logits - expected).abs().max().item<float>();
    }
}
