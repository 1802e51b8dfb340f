namespace LLMDistill.Evaluation.Report;

/// <summary>The files an evaluation wrote.</summary>
/// <param name="Metrics">metrics.json.</param>
/// <param name="Markdown">report.md.</param>
/// <param name="Html">report.html.</param>
public sealed record ReportFiles(string Metrics, string Markdown, string Html);
