namespace LLMDistill.Evaluation;

/// <summary>What to evaluate: one student or several student variants against the same teachers and data.</summary>
/// <param name="Students">The student variants (local model directories), at least one; the first is the report's student.</param>
/// <param name="Teachers">The teachers; the first is the primary teacher of the summary and the comparison table. May be empty.</param>
/// <param name="Data">Held-out data: a dataset directory, a JSONL file or a text file; null skips token- and sequence-level metrics.</param>
/// <param name="OutputDirectory">Where to write metrics.json, report.md and report.html; null writes nothing.</param>
/// <param name="TrainingMetrics">
/// The trainer's <c>metrics.jsonl</c> for the training curves; null looks for one in the first student's directory and
/// then its parent (a run directory).
/// </param>
/// <param name="Title">Report title; null uses <c>Eval:Report:Title</c>.</param>
public sealed record EvaluationRequest(
    IReadOnlyList<ModelSpec> Students,
    IReadOnlyList<ModelSpec> Teachers,
    string? Data,
    string? OutputDirectory,
    string? TrainingMetrics = null,
    string? Title = null);
