namespace LLMDistill.Evaluation.TextMetrics;

/// <summary>Diversity, repetition and length of one set of outputs (no reference needed).</summary>
/// <param name="Distinct1">distinct-1 in [0, 1].</param>
/// <param name="Distinct2">distinct-2 in [0, 1].</param>
/// <param name="SelfBleu">Self-BLEU in [0, 100] (lower = more diverse); null for fewer than two outputs.</param>
/// <param name="RepetitionRate">Mean fraction of repeated word 4-grams inside an output, in [0, 1].</param>
/// <param name="LoopRate">Fraction of outputs that end in a degenerate loop, in [0, 1].</param>
/// <param name="Words">Lengths in 13a words.</param>
/// <param name="Tokens">Lengths in model tokens, when the caller supplied token counts.</param>
public sealed record DiversityMetrics(
    double Distinct1,
    double Distinct2,
    double? SelfBleu,
    double RepetitionRate,
    double LoopRate,
    LengthStatistics Words,
    LengthStatistics? Tokens)
{
    /// <summary>Computes the metrics of a set of outputs.</summary>
    /// <param name="texts">The outputs.</param>
    /// <param name="tokenCounts">Optional model-token count of each output.</param>
    /// <returns>The metrics.</returns>
    public static DiversityMetrics Compute(IReadOnlyList<string> texts, IReadOnlyList<int>? tokenCounts = null)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (tokenCounts is not null && tokenCounts.Count != texts.Count)
        {
            throw new ArgumentException($"{tokenCounts.Count} token counts for {texts.Count} outputs", nameof(tokenCounts));
        }

        var words = texts.Select(WordTokenizer.Tokenize).ToArray();
        return new DiversityMetrics(
            DistinctN.Score(words, 1),
            DistinctN.Score(words, 2),
            TextMetrics.SelfBleu.Score(texts),
            words.Length == 0 ? 0 : words.Average(w => Repetition.RepeatedNgramRate(w)),
            words.Length == 0 ? 0 : words.Count(w => Repetition.EndsInLoop(w)) / (double)words.Length,
            LengthStatistics.From(words.Select(w => w.Count)),
            tokenCounts is null ? null : LengthStatistics.From(tokenCounts));
    }
}
