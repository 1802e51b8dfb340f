using System.Globalization;
using LLMDistill.Cli.Commands.Generate;
using LLMDistill.Cli.Commands.Train;
using LLMDistill.Pipeline;

namespace LLMDistill.Cli.Commands.Run;

/// <summary>
/// The job's progress as plain lines on stdout (terminals, pipes and CI alike): <c>[i/n stage | job elapsed]</c> and
/// then the stage's own progress (generation snapshots, logged training steps and evaluations, evaluation stages).
/// </summary>
internal sealed class RunConsole(TextWriter output) : IProgress<JobProgress>
{
    private readonly Lock _lock = new();
    private string? _evaluationStage;

    public void Report(JobProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var line = Format(value);
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }

    /// <summary>The line of a report, or null when it adds nothing (repeated evaluation stages, unlogged training events).</summary>
    public string? Format(JobProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var prefix = string.Create(CultureInfo.InvariantCulture, $"[{value.Stage}/{value.Stages} {value.Name} | {ProgressFormat.Duration(value.Elapsed)}]");
        var detail = value.Kind switch
        {
            JobProgressKind.Started => value.Message is null ? "started" : $"started: {value.Message}",
            JobProgressKind.Skipped => $"skipped: {value.Message}",
            JobProgressKind.Completed => $"done: {value.Message}",
            _ => Progress(value),
        };
        return detail is null ? null : $"{prefix} {detail}";
    }

    private string? Progress(JobProgress value)
    {
        if (value.Generation is { } generation)
        {
            return ProgressFormat.Line(generation);
        }

        if (value.Training is { } training)
        {
            return LineTrainingProgress.Format(training);
        }

        if (value.Evaluation is { } evaluation)
        {
            // One line per evaluation stage, not per batch.
            if (evaluation.Stage == _evaluationStage)
            {
                return null;
            }

            _evaluationStage = evaluation.Stage;
            return $"eval: {evaluation.Stage}";
        }

        return value.Message;
    }
}
