namespace LLMDistill.Evaluation.TokenMetrics;

/// <summary>One confidence bin of a reliability diagram.</summary>
/// <param name="Lower">Exclusive lower confidence (the first bin also holds confidence 0).</param>
/// <param name="Upper">Inclusive upper confidence.</param>
/// <param name="Count">Predictions in the bin.</param>
/// <param name="MeanConfidence">Mean confidence of the bin; null when empty.</param>
/// <param name="Accuracy">Fraction correct in the bin; null when empty.</param>
public sealed record ReliabilityBin(double Lower, double Upper, long Count, double? MeanConfidence, double? Accuracy);
