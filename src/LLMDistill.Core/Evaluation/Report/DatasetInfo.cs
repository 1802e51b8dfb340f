namespace LLMDistill.Evaluation.Report;

/// <summary>What the evaluation ran on.</summary>
/// <param name="Path">Dataset file or directory.</param>
/// <param name="Samples">Samples evaluated.</param>
/// <param name="Description">Free text (split, filters, seed).</param>
/// <param name="TokenPositions">Teacher-forced token positions scored.</param>
public sealed record DatasetInfo(string Path, int Samples, string? Description = null, long? TokenPositions = null);
