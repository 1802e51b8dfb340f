namespace LLMDistill.Evaluation.TextMetrics;

/// <summary>Summary of output lengths (words or model tokens).</summary>
/// <param name="Count">Number of outputs.</param>
/// <param name="Mean">Mean length.</param>
/// <param name="Median">Median length.</param>
/// <param name="P90">90th percentile (linear interpolation between closest ranks, as numpy's default).</param>
/// <param name="Min">Shortest.</param>
/// <param name="Max">Longest.</param>
/// <param name="StdDev">Population standard deviation.</param>
public sealed record LengthStatistics(int Count, double Mean, double Median, double P90, double Min, double Max, double StdDev)
{
    /// <summary>Statistics of a set of lengths; all zero for an empty set.</summary>
    /// <param name="lengths">The lengths.</param>
    /// <returns>The summary.</returns>
    public static LengthStatistics From(IEnumerable<int> lengths)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        var sorted = lengths.Select(l => (double)l).Order().ToArray();
        if (sorted.Length == 0)
        {
            return new LengthStatistics(0, 0, 0, 0, 0, 0, 0);
        }

        var mean = sorted.Average();
        var variance = sorted.Sum(l => (l - mean) * (l - mean)) / sorted.Length;
        return new LengthStatistics(sorted.Length, mean, Percentile(sorted, 0.5), Percentile(sorted, 0.9), sorted[0], sorted[^1], Math.Sqrt(variance));
    }

    /// <summary>The q-quantile of sorted values with linear interpolation (numpy's default method).</summary>
    /// <param name="sorted">Values in ascending order, at least one.</param>
    /// <param name="q">Quantile in [0, 1].</param>
    /// <returns>The quantile.</returns>
    public static double Percentile(IReadOnlyList<double> sorted, double q)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        ArgumentOutOfRangeException.ThrowIfZero(sorted.Count);
        ArgumentOutOfRangeException.ThrowIfLessThan(q, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(q, 1);
        var rank = q * (sorted.Count - 1);
        var lower = (int)Math.Floor(rank);
        var upper = Math.Min(lower + 1, sorted.Count - 1);
        return sorted[lower] + ((rank - lower) * (sorted[upper] - sorted[lower]));
    }
}
