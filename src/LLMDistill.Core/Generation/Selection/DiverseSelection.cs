namespace LLMDistill.Generation.Selection;

/// <summary>What <see cref="DiverseSelector"/> chose.</summary>
/// <param name="Indices">The chosen candidates, in the order they were added (best score first within each pass).</param>
/// <param name="MinDistance">The distance every sample added in the first pass kept from the others (the fixed one, or the one found from the data).</param>
/// <param name="Passes">Passes over the candidates, bisection included.</param>
public sealed record DiverseSelection(IReadOnlyList<int> Indices, double MinDistance, int Passes);
