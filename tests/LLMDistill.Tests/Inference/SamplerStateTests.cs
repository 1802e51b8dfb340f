using LLMDistill.Inference;
using static TorchSharp.torch;

namespace LLMDistill.Tests.Inference;

/// <summary>The batched sampler draws from the right distribution and honours per-row top-k / top-p.</summary>
public sealed class SamplerStateTests
{
    private static readonly float[] Probabilities = [0.5f, 0.3f, 0.15f, 0.05f];

    [Fact]
    public void Sample_Temperature1_FrequenciesMatchProbabilities()
    {
        var counts = Draw(new DecodingParameters(Temperature: 1.0), 4000);
        for (var i = 0; i < Probabilities.Length; i++)
        {
            Assert.InRange(counts[i] / 4000.0, Probabilities[i] - 0.03, Probabilities[i] + 0.03);
        }
    }

    [Fact]
    public void Sample_TopK2_NeverPicksBeyondTheTwoBest()
    {
        var counts = Draw(new DecodingParameters(Temperature: 1.0, TopK: 2), 2000);
        Assert.Equal(0, counts[2] + counts[3]);
        Assert.InRange(counts[0] / 2000.0, 0.625 - 0.04, 0.625 + 0.04); // 0.5 / (0.5 + 0.3)
    }

    [Fact]
    public void Sample_TopP_KeepsTheSmallestSetReachingP()
    {
        var counts = Draw(new DecodingParameters(Temperature: 1.0, TopP: 0.6), 2000); // 0.5 < 0.6 <= 0.8: two tokens
        Assert.Equal(0, counts[2] + counts[3]);
        Assert.True(counts[1] > 0);
        var only = Draw(new DecodingParameters(Temperature: 1.0, TopP: 0.5), 500); // the first token alone reaches 0.5
        Assert.Equal(500, only[0]);
    }

    [Fact]
    public void Sample_MixedRows_EachRowUsesItsOwnParameters()
    {
        using var scope = NewDisposeScope();
        var logits = log(tensor(Probabilities)).unsqueeze(0).expand(3, -1); // (3, V)
        using var state = new SamplerState([DecodingParameters.Greedy(1), new DecodingParameters(Temperature: 1, TopK: 1), new DecodingParameters(Temperature: 1)], 4, CPU);
        var ids = state.Sample(logits, [0.99, 0.99, 0.99]).data<long>().ToArray();
        Assert.Equal(new long[] { 0, 0, 3 }, ids); // greedy, top-1, and a uniform in the last 5% of the mass
    }

    private static int[] Draw(DecodingParameters parameters, int draws)
    {
        using var scope = NewDisposeScope();
        var logits = log(tensor(Probabilities)).unsqueeze(0).expand(draws, -1); // (N, V): one row per draw
        using var state = new SamplerState(Enumerable.Repeat(parameters, draws).ToArray(), Probabilities.Length, CPU);
        var uniforms = Enumerable.Range(0, draws).Select(i => CounterRng.Uniform(seed: i, step: 0)).ToArray();
        var ids = state.Sample(logits, uniforms).data<long>().ToArray();
        var counts = new int[Probabilities.Length];
        foreach (var id in ids)
        {
            counts[id]++;
        }

        return counts;
    }
}
