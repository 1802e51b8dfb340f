using System.Globalization;
using LLMDistill.Generation;
using Spectre.Console;

namespace LLMDistill.Cli.Commands.Generate;

/// <summary>
/// Shows a running generation: a live Spectre.Console table (stage counts, rates, ETA, tokens, cost, top rejection
/// reasons) when stdout is a terminal, otherwise one plain line per interval.
/// </summary>
internal static class ProgressView
{
    private static readonly string[] Stages = ["seeds", "generated", "deduplicated", "admitted", "answered", "answerFailures", "judged", "scored", "expansionRequests", "expansionReplayed", "rounds"];

    public static bool IsInteractive => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    public static async Task FollowAsync(Func<GenerationProgress?> progress, Task run, TimeSpan interval, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentNullException.ThrowIfNull(run);
        if (IsInteractive)
        {
            await AnsiConsole.Live(Render(progress())).AutoClear(false).StartAsync(async context =>
            {
                while (!run.IsCompleted)
                {
                    await Task.WhenAny(run, Task.Delay(500));
                    context.UpdateTarget(Render(progress()));
                }
            });
            return;
        }

        while (!run.IsCompleted)
        {
            await Task.WhenAny(run, Task.Delay(interval));
            if (!run.IsCompleted && progress() is { } p)
            {
                await output.WriteLineAsync(ProgressFormat.Line(p));
            }
        }
    }

    private static Table Render(GenerationProgress? p)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("generate").AddColumn(new TableColumn("").RightAligned());
        if (p is null)
        {
            return table.AddRow("status", "starting");
        }

        var percent = p.Target > 0 ? 100.0 * p.Kept / p.Target : 0;
        table.AddRow("[bold]kept[/]", string.Create(CultureInfo.InvariantCulture, $"[bold]{p.Kept}[/] / {p.Target} ({percent:F1}%)"));
        table.AddRow("rejected", p.Rejected.ToString(CultureInfo.InvariantCulture));
        foreach (var stage in Stages.Where(p.Counts.ContainsKey))
        {
            table.AddRow(stage, p.Counts[stage].ToString(CultureInfo.InvariantCulture));
        }

        foreach (var (reason, count) in p.Rejections.OrderByDescending(r => r.Value).Take(5))
        {
            table.AddRow("  " + Markup.Escape(reason), count.ToString(CultureInfo.InvariantCulture));
        }

        table.AddRow("rate", string.Create(CultureInfo.InvariantCulture, $"{p.KeptPerSecond:F2} samples/s"));
        table.AddRow("eta", ProgressFormat.Eta(p.Eta));
        table.AddRow("tokens", ProgressFormat.Tokens(p.Tokens));
        table.AddRow("cost", string.Create(CultureInfo.InvariantCulture, $"${p.CostUsd:F4}"));
        table.AddRow("elapsed", ProgressFormat.Duration(p.Elapsed));
        return table;
    }
}
