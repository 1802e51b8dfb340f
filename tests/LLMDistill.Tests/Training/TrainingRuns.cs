using LLMDistill.Tests.Fixtures;
using LLMDistill.Training;
using LLMDistill.Training.Metrics;
using LLMDistill.Training.Options;
using LLMDistill.Training.Schedules;

namespace LLMDistill.Tests.Training;

/// <summary>Tiny CPU training runs: shakespeare-1m as the teacher, a one-layer student of width 32, a few steps.</summary>
internal static class TrainingRuns
{
    public static string Teacher => SharedPaths.Model("shakespeare-1m");

    /// <summary>Writes the first <paramref name="chars"/> characters of TinyShakespeare to <paramref name="path"/>.</summary>
    public static string WriteText(string path, int chars = 6000)
    {
        using var reader = new StreamReader(SharedPaths.Data("tinyshakespeare.txt"));
        var buffer = new char[chars];
        var read = reader.ReadBlock(buffer, 0, chars);
        File.WriteAllText(path, new string(buffer, 0, read));
        return path;
    }

    public static TrainOptions Options(string output, string data, Action<TrainOptions>? configure = null)
    {
        var options = new TrainOptions
        {
            OutputDirectory = output,
            Teacher = Teacher,
            Device = "cpu",
            Steps = 6,
            Seed = 7,
            BatchSize = 2,
            SequenceLength = 48,
            LogEvery = 1,
            EvalEvery = 0,
            EvalRows = 4,
            CheckpointEvery = 0,
            LearningRate = new LearningRateSchedule { LearningRate = 3e-3, MinLearningRate = 3e-4, WarmupSteps = 1, TotalSteps = 6 },
            Student = new StudentOptions { Layers = 1, HiddenSize = 32, Heads = 2, KeyValueHeads = 1, IntermediateSize = 64 },
            Data = new TrainDataOptions { Path = data, EvalFraction = 0.2 },
        };
        configure?.Invoke(options);
        return options;
    }

    public static Task<TrainingResult> RunAsync(TrainOptions options, string? resume = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
        => new TrainingService().RunAsync(new TrainingRequest(options, resume), progress, cancellationToken);

    public static IReadOnlyList<TrainingMetrics> Metrics(string output, string split = TrainingMetrics.TrainSplit)
    {
        var path = Path.Combine(output, "metrics.jsonl");
        return File.ReadAllLines(path).Where(l => l.Length > 0)
            .Select((l, i) => MetricsFiles.Parse(l, $"{path}:{i + 1}"))
            .Where(m => m.Split == split)
            .ToList();
    }

    /// <summary>Calls an action on every report, synchronously (Progress&lt;T&gt; would post to the thread pool).</summary>
    public sealed class Callback(Action<TrainingProgress> action) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => action(value);
    }
}
