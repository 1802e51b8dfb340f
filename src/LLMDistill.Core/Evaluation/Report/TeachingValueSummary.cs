using LLMDistill.Evaluation.TokenMetrics;

namespace LLMDistill.Evaluation.Report;

/// <summary>Teaching-value scores of the samples the filter kept and rejected (the scores are in [0, 1]).</summary>
/// <param name="Kept">Samples kept.</param>
/// <param name="Rejected">Samples rejected.</param>
/// <param name="KeptMean">Mean score of kept samples (0 when none).</param>
/// <param name="RejectedMean">Mean score of rejected samples (0 when none).</param>
/// <param name="KeptHistogram">Distribution of kept scores over [0, 1] in 20 bins.</param>
/// <param name="RejectedHistogram">Distribution of rejected scores over [0, 1] in 20 bins.</param>
public sealed record TeachingValueSummary(int Kept, int Rejected, double KeptMean, double RejectedMean, Histogram KeptHistogram, Histogram RejectedHistogram)
{
    /// <summary>Summarises two lists of scores (NaN is skipped; a score of exactly 1 falls in the last bin).</summary>
    /// <param name="kept">Scores of kept samples.</param>
    /// <param name="rejected">Scores of rejected samples.</param>
    /// <returns>The summary.</returns>
    public static TeachingValueSummary From(IReadOnlyList<double> kept, IReadOnlyList<double> rejected)
    {
        ArgumentNullException.ThrowIfNull(kept);
        ArgumentNullException.ThrowIfNull(rejected);
        static Histogram Of(IEnumerable<double> scores) => Histogram.Of(scores.Select(s => Math.Min(s, 1 - 1e-12)), 0, 1, 20);
        var k = kept.Where(double.IsFinite).ToArray();
        var r = rejected.Where(double.IsFinite).ToArray();
        return new TeachingValueSummary(k.Length, r.Length, k.Length == 0 ? 0 : k.Average(), r.Length == 0 ? 0 : r.Average(), Of(k), Of(r));
    }
}
