using System.Globalization;
using LLMDistill.Evaluation;
using LLMDistill.Evaluation.Report;
using Spectre.Console;

namespace LLMDistill.Cli.Commands.Eval;

/// <summary>
/// The terminal side of <c>eval</c>: a progress bar per stage on stderr (only on a terminal, so scripts and the
/// one-line error contract see nothing else there) and a short summary on stdout.
/// </summary>
internal static class EvalConsole
{
    public static async Task<EvaluationResult> RunWithProgressAsync(Func<IProgress<EvaluationProgress>?, Task<EvaluationResult>> run)
    {
        if (Console.IsErrorRedirected)
        {
            return await run(null);
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return await console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(context => run(new StageRenderer(context)));
    }

    public static async Task PrintSummaryAsync(EvaluationResult result)
    {
        var report = result.Report;
        var output = Console.Out;
        if (result.Files is { } files)
        {
            await output.WriteLineAsync($"wrote {files.Metrics}, {files.Markdown}, {files.Html}");
        }

        foreach (var line in ReportContent.Headlines(report))
        {
            await output.WriteLineAsync(line);
        }

        foreach (var perplexity in report.Perplexity ?? [])
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"perplexity of {perplexity.Model}: {perplexity.Perplexity:0.00} over {perplexity.Tokens} tokens"));
        }

        foreach (var sequence in report.Sequence ?? [])
        {
            await output.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"{sequence.Model} vs {sequence.ReferenceModel}: ROUGE-L {sequence.RougeL:0.000}, BLEU {sequence.Bleu:0.0}, chrF {sequence.ChrF:0.0}, exact match {sequence.ExactMatch:P1} ({sequence.Samples} samples)"));
        }

        if (report.Comparisons is { Count: > 0 })
        {
            await output.WriteLineAsync(Table(result.Variants));
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"evaluated in {result.Elapsed.TotalSeconds:0.0} s"));
    }

    /// <summary>The variant table as aligned plain text.</summary>
    internal static string Table(ComparisonTable table)
    {
        string[][] cells =
        [
            ["variant", .. table.Columns.Select(c => c.Name)],
            .. table.Rows.Select(r => (string[])[r.Name, .. r.Values.Select((v, i) => Fmt.Cell(v, table.Columns[i]))]),
        ];
        var widths = Enumerable.Range(0, cells[0].Length).Select(c => cells.Max(r => r[c].Length)).ToArray();
        return string.Join('\n', cells.Select(r => string.Join("  ", r.Select((cell, c) => c == 0 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).TrimEnd()));
    }

    /// <summary>One Spectre task per stage; a stage without a total shows as indeterminate.</summary>
    private sealed class StageRenderer(ProgressContext context) : IProgress<EvaluationProgress>
    {
        private readonly Lock _lock = new();
        private readonly Dictionary<string, ProgressTask> _tasks = new(StringComparer.Ordinal);

        public void Report(EvaluationProgress value)
        {
            lock (_lock)
            {
                if (!_tasks.TryGetValue(value.Stage, out var task))
                {
                    foreach (var previous in _tasks.Values)
                    {
                        previous.Value = previous.MaxValue;
                        previous.StopTask();
                    }

                    task = context.AddTask(Markup.Escape(value.Stage), maxValue: Math.Max(1, value.Total));
                    _tasks[value.Stage] = task;
                }

                task.IsIndeterminate = value.Total == 0;
                if (value.Total > 0)
                {
                    task.MaxValue = value.Total;
                    task.Value = value.Done;
                }
            }
        }
    }
}
