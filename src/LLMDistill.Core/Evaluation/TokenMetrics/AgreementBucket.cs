namespace LLMDistill.Evaluation.TokenMetrics;

/// <summary>Agreement within one bucket of positions or sequence lengths.</summary>
/// <param name="Label">Readable range, e.g. "8–15".</param>
/// <param name="Lower">Inclusive lower bound.</param>
/// <param name="Upper">Inclusive upper bound; null for the last, open-ended bucket.</param>
/// <param name="Positions">Positions counted.</param>
/// <param name="Top1Agreement">Top-1 agreement rate in [0, 1].</param>
/// <param name="TopKAgreement">Top-k agreement rate in [0, 1].</param>
/// <param name="MeanForwardKl">Mean KL(P ‖ Q) in nats over the finite values.</param>
public sealed record AgreementBucket(string Label, int Lower, int? Upper, long Positions, double Top1Agreement, double TopKAgreement, double MeanForwardKl);
