namespace LLMDistill.Evaluation.TokenMetrics;

/// <summary>Calibration of one model's next-token confidence.</summary>
/// <param name="Model">The model's name.</param>
/// <param name="Count">Predictions counted.</param>
/// <param name="Accuracy">Overall fraction correct.</param>
/// <param name="MeanConfidence">Overall mean confidence.</param>
/// <param name="Ece">Expected calibration error Σ_b (n_b / N)·|acc_b − conf_b| (Guo et al., 2017), in [0, 1].</param>
/// <param name="Mce">Maximum calibration error max_b |acc_b − conf_b| over non-empty bins.</param>
/// <param name="Bins">Reliability-diagram data, one entry per equal-width bin (empty bins included).</param>
public sealed record CalibrationMetrics(string Model, long Count, double Accuracy, double MeanConfidence, double Ece, double Mce, IReadOnlyList<ReliabilityBin> Bins);
