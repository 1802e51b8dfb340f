namespace LLMDistill.Evaluation.TextMetrics;

/// <summary>A BLEU score with its sufficient statistics, as sacreBLEU's <c>BLEUScore</c> reports it.</summary>
/// <param name="Score">BLEU in [0, 100].</param>
/// <param name="Counts">Clipped n-gram matches for n = 1..max order.</param>
/// <param name="Totals">Hypothesis n-grams for n = 1..max order.</param>
/// <param name="Precisions">Smoothed n-gram precisions in percent.</param>
/// <param name="BrevityPenalty">exp(1 - r/c) when the hypotheses are shorter than the references, else 1.</param>
/// <param name="HypothesisLength">Hypothesis tokens (c).</param>
/// <param name="ReferenceLength">Closest reference tokens (r).</param>
public sealed record BleuScore(
    double Score,
    IReadOnlyList<long> Counts,
    IReadOnlyList<long> Totals,
    IReadOnlyList<double> Precisions,
    double BrevityPenalty,
    long HypothesisLength,
    long ReferenceLength)
{
    /// <summary>Hypothesis length over reference length (0 when there is no reference text).</summary>
    public double LengthRatio => ReferenceLength == 0 ? 0 : (double)HypothesisLength / ReferenceLength;
}
