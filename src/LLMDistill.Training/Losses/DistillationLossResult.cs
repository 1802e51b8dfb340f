using static TorchSharp.torch;

namespace LLMDistill.Losses;

/// <summary>
/// The value of a <see cref="DistillationObjective"/>. Only <see cref="Total"/> carries autograd; the parts are
/// detached 0-dim tensors for metrics (read them with <c>.item&lt;float&gt;()</c> only when logging, to avoid host syncs).
/// </summary>
/// <param name="Total">Σ_k weight_k · part_k (+ the hard-label fallback), a 0-dim float32/float64 tensor.</param>
/// <param name="Parts">The unweighted mean of each active term over the counted positions (after confidence selection).</param>
/// <param name="FallbackCrossEntropy">
/// Mean CE at positions below the confidence threshold (0 elsewhere), weighted by the sum of the soft weights in
/// <see cref="Total"/>; null when confidence selection is off or its fallback is <see cref="LowConfidenceFallback.None"/>.
/// </param>
/// <param name="ConfidentFraction">Fraction of counted positions where the teacher is confident; null when selection is off.</param>
/// <param name="Count">Number of counted positions (the denominator of every mean).</param>
public sealed record DistillationLossResult(
    Tensor Total,
    IReadOnlyDictionary<DistillationLossKind, Tensor> Parts,
    Tensor? FallbackCrossEntropy,
    Tensor? ConfidentFraction,
    long Count);
