using LLMDistill.Data;

namespace LLMDistill.Generation.Scoring;

/// <summary>Combines the parts of teaching value into <see cref="TeachingScores"/>.</summary>
public static class TeachingScore
{
    /// <summary>
    /// The combined score: the weighted mean of the available normalised parts (judge, perplexity score, IFD score,
    /// format). <see cref="TeachingScores.Perplexity"/> and <see cref="TeachingScores.Ifd"/> keep the raw values.
    /// </summary>
    public static TeachingScores Combine(JudgeScore? judge, double? perplexity, double? ifd, double format, ScoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        double sum = 0, weights = 0;
        void Add(double? value, double weight)
        {
            if (value is { } v && weight > 0)
            {
                sum += weight * v;
                weights += weight;
            }
        }

        Add(judge?.Normalized, options.JudgeWeight);
        Add(perplexity is { } p ? Likelihood.PerplexityScore(p, options.MaxPerplexity) : null, options.PerplexityWeight);
        Add(ifd is { } i ? Likelihood.IfdScore(i) : null, options.IfdWeight);
        Add(format, options.FormatWeight);
        var combined = weights > 0 ? sum / weights : format;
        return new TeachingScores(Math.Round(combined, 6), judge?.Normalized, perplexity, ifd, format, judge?.Rationale);
    }
}
