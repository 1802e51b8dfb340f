namespace LLMDistill.Evaluation.TokenMetrics;

/// <summary>Counts of values in equal-width bins (for plots: the KL histogram, teaching-value distributions).</summary>
/// <param name="Edges">Bin edges, one more than <paramref name="Counts"/>; bin i is [Edges[i], Edges[i+1]).</param>
/// <param name="Counts">Values per bin; values below the first edge are counted in the first bin.</param>
/// <param name="Overflow">Values at or above the last edge.</param>
public sealed record Histogram(IReadOnlyList<double> Edges, IReadOnlyList<long> Counts, long Overflow)
{
    /// <summary>All values counted, overflow included.</summary>
    public long Total => Counts.Sum() + Overflow;

    /// <summary>Histogram of a finite list of values (NaN is skipped).</summary>
    /// <param name="values">The values.</param>
    /// <param name="min">Lower edge.</param>
    /// <param name="max">Upper edge.</param>
    /// <param name="bins">Number of bins.</param>
    /// <returns>The histogram.</returns>
    public static Histogram Of(IEnumerable<double> values, double min, double max, int bins)
    {
        ArgumentNullException.ThrowIfNull(values);
        var accumulator = new HistogramAccumulator(min, max, bins);
        foreach (var v in values)
        {
            accumulator.Add(v);
        }

        return accumulator.ToHistogram();
    }
}
