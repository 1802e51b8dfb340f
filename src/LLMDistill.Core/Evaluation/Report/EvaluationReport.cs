using LLMDistill.Evaluation.Judge;
using LLMDistill.Evaluation.TextMetrics;
using LLMDistill.Evaluation.TokenMetrics;

namespace LLMDistill.Evaluation.Report;

/// <summary>
/// Everything one evaluation measured: the model of <c>metrics.json</c>, from which <c>report.md</c> and
/// <c>report.html</c> are rendered. Every list may be empty; the report then omits that section with a note.
/// </summary>
/// <param name="SchemaVersion">Format version of metrics.json (<see cref="CurrentSchemaVersion"/>).</param>
/// <param name="Title">Report title.</param>
/// <param name="CreatedUtc">When the evaluation finished.</param>
/// <param name="Student">The student's name.</param>
/// <param name="Teachers">The teachers' names; the first is the primary teacher of the summary table.</param>
/// <param name="Dataset">What was evaluated on.</param>
/// <param name="Perplexity">Perplexity of each model on the held-out tokens.</param>
/// <param name="TokenAgreement">Teacher-forced agreement of model pairs (student × teacher, teacher × teacher).</param>
/// <param name="Calibration">Calibration of each model.</param>
/// <param name="AgreementMatrix">Top-1 agreement of all model pairs.</param>
/// <param name="Sequence">Free-generation metrics of each model against a reference model.</param>
/// <param name="Judge">Teacher-as-judge results.</param>
/// <param name="Efficiency">Size and speed of each model.</param>
/// <param name="Comparisons">Free-form comparison tables (variants × metrics).</param>
/// <param name="TeachingValue">Teaching-value scores of kept vs rejected samples.</param>
/// <param name="Training">The trainer's metrics.jsonl records (training curves).</param>
/// <param name="Notes">Free-text remarks shown at the end.</param>
public sealed record EvaluationReport(
    int SchemaVersion,
    string Title,
    DateTimeOffset CreatedUtc,
    string Student,
    IReadOnlyList<string> Teachers,
    DatasetInfo? Dataset = null,
    IReadOnlyList<PerplexityMetrics>? Perplexity = null,
    IReadOnlyList<TokenAgreementMetrics>? TokenAgreement = null,
    IReadOnlyList<CalibrationMetrics>? Calibration = null,
    AgreementMatrix? AgreementMatrix = null,
    IReadOnlyList<SequenceMetrics>? Sequence = null,
    IReadOnlyList<JudgeSummary>? Judge = null,
    IReadOnlyList<EfficiencyMetrics>? Efficiency = null,
    IReadOnlyList<ComparisonTable>? Comparisons = null,
    TeachingValueSummary? TeachingValue = null,
    IReadOnlyList<TrainingMetricsRecord>? Training = null,
    IReadOnlyList<string>? Notes = null)
{
    /// <summary>The metrics.json format this code writes and reads.</summary>
    public const int CurrentSchemaVersion = 1;
}
