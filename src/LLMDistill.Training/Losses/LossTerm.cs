namespace LLMDistill.Losses;

/// <summary>One weighted term of a <see cref="DistillationObjective"/>.</summary>
/// <param name="Kind">The loss.</param>
/// <param name="Weight">Its weight (finite, ≥ 0); a weight of 0 leaves the term out.</param>
public sealed record LossTerm(DistillationLossKind Kind, double Weight);
