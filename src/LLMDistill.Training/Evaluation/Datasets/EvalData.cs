namespace LLMDistill.Evaluation.Datasets;

/// <summary>The held-out data of one evaluation.</summary>
/// <param name="Path">The file or directory read.</param>
/// <param name="Kind">Its kind.</param>
/// <param name="Samples">The samples, in file order, at most <see cref="EvalOptions.MaxSamples"/>.</param>
/// <param name="Description">How the samples were chosen, for the report.</param>
/// <param name="ReferenceTeacher">The teacher that wrote most of the references (the rows' provenance), when known.</param>
/// <param name="KeptScores">Teaching-value scores of the samples a generated dataset kept (all its rows, not only the evaluated ones); null when not a dataset directory.</param>
/// <param name="RejectedScores">Teaching-value scores of the candidates it rejected (those that got a score); null when not a dataset directory.</param>
public sealed record EvalData(
    string Path,
    EvalDataKind Kind,
    IReadOnlyList<EvalSample> Samples,
    string Description,
    string? ReferenceTeacher = null,
    IReadOnlyList<double>? KeptScores = null,
    IReadOnlyList<double>? RejectedScores = null)
{
    /// <summary>Whether every sample has a reference answer.</summary>
    public bool HasReferences => Samples.Count > 0 && Samples.All(s => s.Reference is not null);
}
