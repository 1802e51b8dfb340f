namespace LLMDistill.Evaluation.TokenMetrics;

/// <summary>Teacher-forced agreement between a reference model P and a compared model Q over held-out positions.</summary>
/// <param name="Reference">P's name (usually a teacher).</param>
/// <param name="Compared">Q's name (the student, or another teacher).</param>
/// <param name="Positions">Positions evaluated.</param>
/// <param name="TopK">k of <paramref name="TopKAgreement"/>.</param>
/// <param name="Top1Agreement">Fraction of positions where both predict the same most likely token.</param>
/// <param name="TopKAgreement">Fraction of positions where P's most likely token is in Q's top k.</param>
/// <param name="ForwardKl">Mean KL(P ‖ Q) in nats.</param>
/// <param name="ReverseKl">Mean KL(Q ‖ P) in nats.</param>
/// <param name="Jsd">Mean Jensen–Shannon divergence in nats.</param>
/// <param name="NonFinitePositions">Positions whose KL was infinite or NaN (a zero probability); left out of the means.</param>
/// <param name="ByPosition">Agreement per position bucket (non-empty buckets only).</param>
/// <param name="BySequenceLength">Agreement per sequence-length bucket (non-empty buckets only).</param>
/// <param name="ForwardKlHistogram">Distribution of the per-position forward KL.</param>
public sealed record TokenAgreementMetrics(
    string Reference,
    string Compared,
    long Positions,
    int TopK,
    double Top1Agreement,
    double TopKAgreement,
    double ForwardKl,
    double ReverseKl,
    double Jsd,
    long NonFinitePositions,
    IReadOnlyList<AgreementBucket> ByPosition,
    IReadOnlyList<AgreementBucket> BySequenceLength,
    Histogram ForwardKlHistogram);
