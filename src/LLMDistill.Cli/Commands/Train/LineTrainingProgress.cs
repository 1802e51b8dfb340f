using System.Globalization;
using LLMDistill.Training;

namespace LLMDistill.Cli.Commands.Train;

/// <summary>Progress as plain lines (logs, pipes, CI): one per logged step, evaluation and checkpoint.</summary>
internal sealed class LineTrainingProgress(TextWriter output) : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value)
    {
        var line = Format(value);
        if (line is not null)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }

    /// <summary>The line of a report, or null for none.</summary>
    public static string? Format(TrainingProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var c = CultureInfo.InvariantCulture;
        var m = value.Metrics;
        return value.Kind switch
        {
            TrainingProgressKind.Started => $"train: {value.Message}",
            TrainingProgressKind.Step when m is not null => string.Create(
                c,
                $"step {value.Step,6}/{value.TotalSteps} | loss {m.Loss:F4} | lr {m.LearningRate:E2} | grad-norm {m.GradNorm:F3} | {m.TokensPerSecond:F0} tok/s | eta {Eta(value.EtaSeconds)}"),
            TrainingProgressKind.Evaluation when m is not null => string.Create(c, $"eval {value.Step,6}/{value.TotalSteps} | loss {m.Loss:F4} | {Parts(m.Parts)}"),
            TrainingProgressKind.Checkpoint => $"checkpoint: {value.Message}",
            _ => null,
        };
    }

    /// <summary>Parts as <c>name value</c> pairs.</summary>
    public static string Parts(IReadOnlyDictionary<string, double> parts)
        => string.Join(" ", parts.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value:F4}")));

    /// <summary>Seconds as h:mm:ss or m:ss.</summary>
    public static string Eta(double? seconds)
    {
        if (seconds is not { } s || !double.IsFinite(s) || s < 0)
        {
            return "?";
        }

        var t = TimeSpan.FromSeconds(Math.Round(s));
        return t.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}:{t.Minutes:D2}:{t.Seconds:D2}")
            : string.Create(CultureInfo.InvariantCulture, $"{t.Minutes}:{t.Seconds:D2}");
    }
}
