using System.Globalization;
using LLMDistill.Cli.Commands.Generate;
using LLMDistill.Evaluation.Report;
using LLMDistill.Pipeline;

namespace LLMDistill.Cli.Commands.Run;

/// <summary>The summary <c>llmdistill run</c> prints at the end: stages, paths, the comparison table and its findings.</summary>
internal static class RunSummary
{
    public static async Task WriteAsync(JobResult result, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(output);
        var c = CultureInfo.InvariantCulture;
        var ran = result.Stages.Count(s => !s.Skipped);
        await output.WriteLineAsync(string.Create(c, $"run: done in {ProgressFormat.Duration(result.Elapsed)} ({ran} stage(s) run, {result.Stages.Count - ran} skipped): {result.RunDirectory}"));
        await output.WriteLineAsync(string.Create(c, $"  dataset   {result.DatasetDirectory} ({result.Samples} samples; held out {result.Splits.HeldOut.Samples}, training {result.Splits.Train.Samples})"));
        foreach (var (variant, directory) in result.Students)
        {
            await output.WriteLineAsync($"  student   {variant,-12} {directory}");
        }

        await output.WriteLineAsync($"  report    {result.Report.Markdown}");
        await output.WriteLineAsync($"            {result.Report.Html}");
        await output.WriteLineAsync($"  metrics   {result.Report.Metrics}");
        if (result.Proof is { } proof)
        {
            await output.WriteLineAsync();
            await output.WriteLineAsync(Markdown(proof));
        }

        foreach (var finding in result.Findings)
        {
            await output.WriteLineAsync($"finding: {finding}");
        }
    }

    /// <summary>The table in Markdown (the README shows it as printed here).</summary>
    public static string Markdown(ComparisonTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var lines = new List<string>
        {
            $"| student | {string.Join(" | ", table.Columns.Select(c => c.Name))} |",
            $"|---|{string.Concat(table.Columns.Select(_ => "---:|"))}",
        };
        lines.AddRange(table.Rows.Select(r => $"| {r.Name} | {string.Join(" | ", r.Values.Select((v, i) => Cell(v, table.Columns[i])))} |"));
        return string.Join(Environment.NewLine, lines);
    }

    private static string Cell(double? value, ComparisonColumn column)
    {
        if (value is not { } v || !double.IsFinite(v))
        {
            return "–";
        }

        return column.Percent
            ? (v * 100).ToString("F" + Math.Max(0, column.Decimals - 2).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + "%"
            : v.ToString("F" + column.Decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }
}
