using LLMDistill.Evaluation.Report;

namespace LLMDistill.Pipeline;

/// <summary>The outcome of a completed <c>run</c> job.</summary>
/// <param name="RunDirectory">The run's folder.</param>
/// <param name="DatasetDirectory">The generated dataset.</param>
/// <param name="Samples">Samples in the dataset.</param>
/// <param name="Splits">The held-out, training and comparison subsets.</param>
/// <param name="Students">Variant name → exported student directory, in training order (the first is the main student).</param>
/// <param name="Report">metrics.json, report.md and report.html.</param>
/// <param name="Proof">The distillation comparison table, or null without the comparison.</param>
/// <param name="Findings">One line per comparison: what was compared, the numbers, and whether it held.</param>
/// <param name="Stages">Every stage, run or skipped.</param>
/// <param name="Elapsed">Wall time of this invocation.</param>
public sealed record JobResult(
    string RunDirectory,
    string DatasetDirectory,
    long Samples,
    DatasetSplits Splits,
    IReadOnlyList<KeyValuePair<string, string>> Students,
    ReportFiles Report,
    ComparisonTable? Proof,
    IReadOnlyList<string> Findings,
    IReadOnlyList<StageOutcome> Stages,
    TimeSpan Elapsed);
