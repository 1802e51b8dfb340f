using System.Globalization;
using LLMDistill.Training;
using Spectre.Console;

namespace LLMDistill.Cli.Commands.Train;

/// <summary>Progress on a terminal: one Spectre.Console bar whose description carries the latest step, eval and checkpoint.</summary>
internal sealed class LiveTrainingProgress(ProgressContext context, int totalSteps) : IProgress<TrainingProgress>
{
    private readonly ProgressTask _task = context.AddTask("starting", maxValue: totalSteps);
    private string _step = "starting";
    private string _eval = string.Empty;

    public void Report(TrainingProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var c = CultureInfo.InvariantCulture;
        var m = value.Metrics;
        switch (value.Kind)
        {
            case TrainingProgressKind.Step when m is not null:
                _step = string.Create(c, $"step {value.Step}/{value.TotalSteps} loss {m.Loss:F4} lr {m.LearningRate:E2} gn {m.GradNorm:F2} {m.TokensPerSecond:F0} tok/s");
                break;
            case TrainingProgressKind.Evaluation when m is not null:
                _eval = string.Create(c, $" | eval loss {m.Loss:F4}") + (m.Parts.TryGetValue("kl", out var kl) ? string.Create(c, $" kl {kl:F4}") : string.Empty);
                break;
            case TrainingProgressKind.Started:
                _step = string.Create(c, $"step {value.Step}/{value.TotalSteps}");
                break;
            default:
                break;
        }

        _task.Value = value.Step;
        _task.Description = Markup.Escape(_step + _eval);
    }
}
