namespace LLMDistill.Evaluation.Report;

/// <summary>A model or variant row of a <see cref="ComparisonTable"/>.</summary>
/// <param name="Name">E.g. "token-level KD student", "random half", "filtered half".</param>
/// <param name="Values">One value per column; null where not measured.</param>
/// <param name="Note">Optional remark shown after the name.</param>
public sealed record ComparisonRow(string Name, IReadOnlyList<double?> Values, string? Note = null);
