using LLMDistill.Checkpoints;
using LLMDistill.Tests.Checkpoints;
using LLMDistill.Training;
using LLMDistill.Training.Checkpointing;
using LLMDistill.Training.Options;
using static TorchSharp.torch;

namespace LLMDistill.Tests.Training;

/// <summary>Stopping after step k and resuming gives exactly the uninterrupted run; bad checkpoints are refused.</summary>
public sealed class ResumeTests : IDisposable
{
    private const int StopAt = 3;
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Resume_AfterStoppingAtStepK_LossCurveAndWeightsEqualTheUninterruptedRun()
    {
        var text = TrainingRuns.WriteText(_dir.File("text.txt"));
        TrainOptions Configure(string name) => TrainingRuns.Options(_dir.File(name), text, o =>
        {
            o.Steps = 7;
            o.GradientAccumulationSteps = 2;
            o.EvalEvery = 2;
            o.LearningRate = o.LearningRate with { TotalSteps = 7 };
            o.HiddenStates = new HiddenStateOptions { Weight = 0.05 };
            o.OnPolicy = new OnPolicyOptions { Lambda = 0.5, MaxNewTokens = 5, PromptTokens = 6 };
        });
        var uninterrupted = await TrainingRuns.RunAsync(Configure("a"));

        var options = Configure("b");
        using var stop = new CancellationTokenSource();
        var stopAtK = new TrainingRuns.Callback(p =>
        {
            if (p.Kind == TrainingProgressKind.Step && p.Step == StopAt)
            {
                stop.Cancel();
            }
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => TrainingRuns.RunAsync(options, progress: stopAtK, cancellationToken: stop.Token));
        Assert.True(File.Exists(Path.Combine(options.OutputDirectory, "checkpoints", $"step-{StopAt:D8}", TrainingCheckpoint.StateFile)));
        Assert.Equal(StopAt, TrainingRuns.Metrics(options.OutputDirectory).Max(m => m.Step));

        var resumed = await TrainingRuns.RunAsync(options, resume: "latest");

        AssertSameCurve(uninterrupted.OutputDirectory, resumed.OutputDirectory);
        AssertSameWeights(uninterrupted.StudentDirectory, resumed.StudentDirectory);
        Assert.Equal(uninterrupted.TokensSeen, resumed.TokensSeen);
    }

    [Fact]
    public async Task Resume_CorruptOrForeignCheckpoints_AreRefusedWithAClearMessage()
    {
        var options = TrainingRuns.Options(_dir.File("run"), TrainingRuns.WriteText(_dir.File("text.txt"), 2000), o =>
        {
            o.Steps = 2;
            o.CheckpointEvery = 1;
            o.LearningRate = o.LearningRate with { TotalSteps = 2 };
        });
        var result = await TrainingRuns.RunAsync(options);
        var state = Path.Combine(result.LastCheckpoint, TrainingCheckpoint.StateFile);
        var original = await File.ReadAllTextAsync(state);

        await File.WriteAllTextAsync(state, original.Replace("\"format_version\": 1", "\"format_version\": 99", StringComparison.Ordinal));
        var version = await Assert.ThrowsAsync<InvalidDataException>(() => TrainingRuns.RunAsync(options, resume: result.LastCheckpoint));
        Assert.Contains("format version 99", version.Message, StringComparison.Ordinal);
        Assert.Contains("reads version 1", version.Message, StringComparison.Ordinal);

        await File.WriteAllTextAsync(state, original[..(original.Length / 2)]);
        var corrupt = await Assert.ThrowsAsync<InvalidDataException>(() => TrainingRuns.RunAsync(options, resume: "latest"));
        Assert.Contains("is corrupt", corrupt.Message, StringComparison.Ordinal);

        await File.WriteAllTextAsync(state, original);
        var changed = TrainingRuns.Options(options.OutputDirectory, options.Data.Path, o =>
        {
            o.Steps = 2;
            o.BatchSize = 3;
            o.LearningRate = o.LearningRate with { TotalSteps = 2 };
        });
        var trajectory = await Assert.ThrowsAsync<InvalidDataException>(() => TrainingRuns.RunAsync(changed, resume: "latest"));
        Assert.Contains("Train:BatchSize changed (2 -> 3)", trajectory.Message, StringComparison.Ordinal);

        File.Delete(Path.Combine(result.LastCheckpoint, TrainingCheckpoint.OptimizerFile));
        var missing = await Assert.ThrowsAsync<InvalidDataException>(() => TrainingRuns.RunAsync(options, resume: result.LastCheckpoint));
        Assert.Contains("missing optimizer.bin", missing.Message, StringComparison.Ordinal);

        File.Delete(state);
        var incomplete = await Assert.ThrowsAsync<InvalidDataException>(() => TrainingRuns.RunAsync(options, resume: result.LastCheckpoint));
        Assert.Contains("incomplete", incomplete.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Save_InterruptedSaveAndPruning_LeaveOnlyCompleteCheckpoints()
    {
        var options = TrainingRuns.Options(_dir.File("run"), TrainingRuns.WriteText(_dir.File("text.txt"), 2000), o =>
        {
            o.Steps = 4;
            o.CheckpointEvery = 1;
            o.KeepCheckpoints = 2;
            o.LearningRate = o.LearningRate with { TotalSteps = 4 };
        });
        var root = Path.Combine(options.OutputDirectory, "checkpoints");
        var torn = Directory.CreateDirectory(Path.Combine(root, ".tmp-step-00000009-dead")).FullName; // what a kill mid-save leaves

        var result = await TrainingRuns.RunAsync(options);

        Assert.False(Directory.Exists(torn));
        Assert.Equal(["step-00000003", "step-00000004"], Directory.GetDirectories(root).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal("step-00000004", File.ReadAllText(Path.Combine(root, TrainingCheckpoint.LatestFile)));
        Assert.Equal(Path.Combine(root, "step-00000004"), TrainingCheckpoint.Resolve(root, "latest"));
        Assert.Null(TrainingCheckpoint.Resolve(_dir.File("nowhere"), "auto"));
        var none = Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.Resolve(_dir.File("nowhere"), "latest"));
        Assert.Contains("no checkpoint", none.Message, StringComparison.Ordinal);
        Assert.Equal(4, result.Steps);
    }

    internal static void AssertSameCurve(string expectedRun, string actualRun)
    {
        foreach (var split in new[] { "train", "eval" })
        {
            var expected = TrainingRuns.Metrics(expectedRun, split);
            var actual = TrainingRuns.Metrics(actualRun, split);
            Assert.Equal(expected.Select(m => m.Step), actual.Select(m => m.Step));
            foreach (var (e, a) in expected.Zip(actual))
            {
                Assert.True(Math.Abs(e.Loss - a.Loss) <= 1e-5, $"{split} step {e.Step}: loss {e.Loss} vs {a.Loss}");
                Assert.Equal(e.LearningRate, a.LearningRate, 12);
                Assert.Equal(e.Parts.Keys.Order(), a.Parts.Keys.Order());
                foreach (var (name, value) in e.Parts)
                {
                    Assert.True(Math.Abs(value - a.Parts[name]) <= 1e-5 * Math.Max(1, Math.Abs(value)), $"{split} step {e.Step}: {name} {value} vs {a.Parts[name]}");
                }
            }
        }
    }

    private static void AssertSameWeights(string expected, string actual)
    {
        using var scope = NewDisposeScope();
        using var a = HfCheckpoint.Load(expected);
        using var b = HfCheckpoint.Load(actual);
        var other = b.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, parameter) in a.named_parameters())
        {
            Assert.True(parameter.allclose(other[name], rtol: 0, atol: 1e-5), $"{name} differs");
        }
    }
}
