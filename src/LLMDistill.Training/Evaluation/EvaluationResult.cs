using LLMDistill.Evaluation.Report;

namespace LLMDistill.Evaluation;

/// <summary>The outcome of <see cref="ModelEvaluator.EvaluateAsync"/>.</summary>
/// <param name="Report">Everything measured (the content of metrics.json).</param>
/// <param name="Files">The files written, or null when no output directory was given.</param>
/// <param name="Variants">The variant comparison table (rows = students), also in <see cref="EvaluationReport.Comparisons"/>.</param>
/// <param name="Elapsed">Wall time of the evaluation.</param>
public sealed record EvaluationResult(EvaluationReport Report, ReportFiles? Files, ComparisonTable Variants, TimeSpan Elapsed);
