using LLMDistill.Checkpoints;
using LLMDistill.Evaluation;
using LLMDistill.Evaluation.Speed;
using LLMDistill.Tests.Fixtures;

namespace LLMDistill.Tests.Evaluation.Speed;

public sealed class SpeedBenchmarkTests
{
    [Fact]
    public void Measure_SmallModel_GivesConsistentThroughputAndLatency()
    {
        using var model = HfCheckpoint.Load(SharedPaths.Model("shakespeare-1m"));
        var options = new EvalOptions { SpeedNewTokens = 4, SpeedBatchSize = 3, SpeedPromptTokens = 5 };

        var speed = SpeedBenchmark.Measure(model, options, CancellationToken.None);

        Assert.Equal((3, 5, 4, "cpu"), (speed.BatchSize, speed.PromptTokens, speed.NewTokens, speed.Device));
        Assert.True(speed.TokensPerSecond > 0 && double.IsFinite(speed.TokensPerSecond));
        Assert.True(speed.LatencyPerTokenMs > 0 && double.IsFinite(speed.LatencyPerTokenMs));
    }

    [Fact]
    public void SyntheticPrompt_IsDeterministicAndInsideTheVocabulary()
    {
        var prompt = SpeedBenchmark.SyntheticPrompt(2048, 64);
        Assert.Equal(prompt, SpeedBenchmark.SyntheticPrompt(2048, 64));
        Assert.All(prompt, id => Assert.InRange(id, 3, 2047));
        Assert.True(prompt.Distinct().Count() > 32);
        Assert.All(SpeedBenchmark.SyntheticPrompt(2, 5), id => Assert.Equal(1, id));
    }

    [Fact]
    public void Measure_Cancelled_Throws()
    {
        using var model = HfCheckpoint.Load(SharedPaths.Model("shakespeare-1m"));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => SpeedBenchmark.Measure(model, new EvalOptions(), cancelled.Token));
    }
}
