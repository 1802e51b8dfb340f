namespace LLMDistill.Evaluation.Report;

/// <summary>Writes the evaluation's output files: <c>metrics.json</c>, <c>report.md</c> and a self-contained <c>report.html</c>.</summary>
public static class ReportWriter
{
    /// <summary>The metrics file name.</summary>
    public const string MetricsFileName = "metrics.json";

    /// <summary>The Markdown report file name.</summary>
    public const string MarkdownFileName = "report.md";

    /// <summary>The HTML report file name.</summary>
    public const string HtmlFileName = "report.html";

    /// <summary>Writes the three files into <paramref name="outputDirectory"/> (created if missing).</summary>
    /// <param name="report">Everything the evaluation measured.</param>
    /// <param name="outputDirectory">Where to write.</param>
    /// <param name="options">Plot size; defaults when null.</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    /// <returns>The paths written.</returns>
    /// <exception cref="ArgumentException">A comparison table is malformed.</exception>
    public static async Task<ReportFiles> WriteAsync(EvaluationReport report, string outputDirectory, ReportOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        options ??= new ReportOptions();
        Directory.CreateDirectory(outputDirectory);
        var files = new ReportFiles(
            Path.Combine(outputDirectory, MetricsFileName),
            Path.Combine(outputDirectory, MarkdownFileName),
            Path.Combine(outputDirectory, HtmlFileName));
        await MetricsJson.WriteAsync(report, files.Metrics, cancellationToken);
        await File.WriteAllTextAsync(files.Markdown, RenderMarkdown(report, options), cancellationToken);
        await File.WriteAllTextAsync(files.Html, RenderHtml(report, options), cancellationToken);
        return files;
    }

    /// <summary>The Markdown report as text.</summary>
    public static string RenderMarkdown(EvaluationReport report, ReportOptions? options = null)
        => MarkdownReportWriter.Render(report, ReportContent.Build(report, options ?? new ReportOptions(), withFigures: false));

    /// <summary>The HTML report as text, plots included.</summary>
    public static string RenderHtml(EvaluationReport report, ReportOptions? options = null)
        => HtmlReportWriter.Render(report, ReportContent.Build(report, options ?? new ReportOptions(), withFigures: true));
}
