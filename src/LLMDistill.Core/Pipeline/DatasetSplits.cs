namespace LLMDistill.Pipeline;

/// <summary>The subsets <see cref="DatasetSplitter"/> wrote, each a dataset directory.</summary>
/// <param name="HeldOut">Held-out samples (evaluation only).</param>
/// <param name="Train">Every other sample.</param>
/// <param name="Filtered">The training samples of highest teaching value, or null without the comparison.</param>
/// <param name="Random">A random subset of the training samples of the same size, or null without the comparison.</param>
/// <param name="SelectBy">The signal that ranked <paramref name="Filtered"/>.</param>
/// <param name="MinDistance">With <see cref="SelectionSignal.DiverseCombined"/> or <see cref="SelectionSignal.Diverse"/>, the cosine distance the filtered samples keep from each other (<c>Run:Diversity:MinDistance</c> or the one found from the data); otherwise null.</param>
public sealed record DatasetSplits(SubsetSummary HeldOut, SubsetSummary Train, SubsetSummary? Filtered, SubsetSummary? Random, SelectionSignal SelectBy, double? MinDistance = null)
{
    /// <summary>The subsets that exist, in order.</summary>
    public IReadOnlyList<SubsetSummary> All => new[] { HeldOut, Train, Filtered, Random }.OfType<SubsetSummary>().ToArray();
}
