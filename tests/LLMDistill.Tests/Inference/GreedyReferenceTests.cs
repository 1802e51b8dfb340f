using LLMDistill.Checkpoints;
using LLMDistill.Inference;
using LLMDistill.Tests.Model;

namespace LLMDistill.Tests.Inference;

/// <summary>Greedy generation reproduces transformers' <c>generate(do_sample=False)</c> token for token.</summary>
public sealed class GreedyReferenceTests
{
    [Theory]
    [InlineData("tiny-llama")]
    [InlineData("tiny-qwen2")]
    public void Generate_HfFixtureGreedy_MatchesReferenceTokens(string fixture)
    {
        var reference = HfReference.Load(fixture);
        using var model = HfCheckpoint.Load(HfReference.Dir(fixture));
        var generator = new TokenGenerator(model);
        var prompt = reference.GreedyPrefix.Select(i => (int)i).ToArray();
        var newTokens = reference.GreedyOutput.Length - prompt.Length;
        var result = generator.Generate([new GenerationRequest(prompt, DecodingParameters.Greedy(newTokens))])[0];
        Assert.Equal(reference.GreedyOutput.Select(i => (int)i), result.AllIds);
    }

    [Theory]
    [InlineData("shakespeare-4m")]
    [InlineData("shakespeare-1m")]
    public void Generate_ShakespeareGreedyAloneAndBatched_MatchesReferenceIds(string modelName)
    {
        var references = ShakespeareReference.Load(modelName);
        using var model = HfCheckpoint.Load(ShakespeareReference.Dir(modelName));
        var generator = new TokenGenerator(model);
        var requests = references.Select(r => new GenerationRequest(
            r.PromptIds.Select(i => (int)i).ToArray(), DecodingParameters.Greedy(r.GreedyIds.Length - r.PromptIds.Length))).ToArray();

        var batched = generator.Generate(requests); // three prompts of different lengths: left padding + mask
        for (var i = 0; i < references.Count; i++)
        {
            Assert.Equal(references[i].GreedyIds.Select(x => (int)x), batched[i].AllIds);
            var alone = generator.Generate([requests[i]])[0];
            Assert.Equal(references[i].GreedyIds.Select(x => (int)x), alone.AllIds);
        }
    }
}
