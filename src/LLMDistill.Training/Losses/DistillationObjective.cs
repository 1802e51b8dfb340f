namespace LLMDistill.Losses;

/// <summary>
/// A weighted combination of distillation losses with their hyper-parameters, evaluated by
/// <see cref="DistillationLosses.Evaluate"/> (whole logits) or <see cref="ChunkedDistillationLoss.Compute"/>
/// (chunks of positions). Loss = mean over counted positions of Σ_k weight_k · loss_k(position).
/// Temperature and α schedules produce a new objective per step with <c>with { Temperature = ... }</c>.
/// </summary>
/// <param name="Terms">The weighted terms; at least one with a weight &gt; 0, each kind at most once.</param>
public sealed record DistillationObjective(IReadOnlyList<LossTerm> Terms)
{
    /// <summary>Softmax temperature τ of the soft terms (KL terms are scaled by τ²; JSD is not).</summary>
    /// <value>1.</value>
    public double Temperature { get; init; } = 1.0;

    /// <summary>β of the generalized JSD, in [0, 1]; 0 and 1 give 0 (m equals one of the two distributions).</summary>
    /// <value>0.5.</value>
    public double Beta { get; init; } = 0.5;

    /// <summary>
    /// k of <see cref="DistillationLossKind.TopKKl"/>: required (&gt; 0) with dense teacher logits; with sparse targets
    /// 0 uses every stored slot and k &gt; 0 the best k of them.
    /// </summary>
    /// <value>0.</value>
    public int TopK { get; init; }

    /// <summary>Missing-mass treatment of sparse top-k targets.</summary>
    /// <value><see cref="SparseMissingMass.Renormalize"/>.</value>
    public SparseMissingMass MissingMass { get; init; } = SparseMissingMass.Renormalize;

    /// <summary>
    /// Confidence-selective distillation: when set, the soft terms apply only at positions where the teacher's
    /// largest probability (at temperature 1) is at least this value, in (0, 1]; see <see cref="LowConfidence"/>
    /// for the other positions. They still count in the mean, so the loss scale does not depend on how many
    /// positions are selected.
    /// </summary>
    /// <value>null (off).</value>
    public double? ConfidenceThreshold { get; init; }

    /// <summary>What happens at positions below <see cref="ConfidenceThreshold"/>.</summary>
    /// <value><see cref="LowConfidenceFallback.HardLabels"/>.</value>
    public LowConfidenceFallback LowConfidence { get; init; } = LowConfidenceFallback.HardLabels;

    /// <summary>Hinton et al. 2015: α·CE + (1−α)·τ²·KL(p_t ‖ p_s).</summary>
    /// <param name="alpha">Weight of the hard-label CE, in [0, 1].</param>
    /// <param name="temperature">Softmax temperature τ &gt; 0.</param>
    /// <returns>The objective.</returns>
    public static DistillationObjective Hinton(double alpha, double temperature)
    {
        LossTensors.CheckUnitInterval(alpha, nameof(alpha));
        return new DistillationObjective([new LossTerm(DistillationLossKind.CrossEntropy, alpha), new LossTerm(DistillationLossKind.ForwardKl, 1 - alpha)])
        {
            Temperature = temperature,
        };
    }

    /// <summary>The terms with a weight &gt; 0.</summary>
    internal IEnumerable<LossTerm> ActiveTerms => Terms.Where(t => t.Weight > 0);

    /// <summary>Whether any active term needs the labels (CE, or the hard-label fallback).</summary>
    internal bool NeedsLabels => ActiveTerms.Any(t => t.Kind == DistillationLossKind.CrossEntropy)
        || (ConfidenceThreshold is not null && LowConfidence == LowConfidenceFallback.HardLabels && ActiveTerms.Any(t => t.Kind != DistillationLossKind.CrossEntropy));

    /// <summary>Checks the hyper-parameters.</summary>
    /// <exception cref="ArgumentException">A value is out of range; the message names it.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Terms);
        foreach (var term in Terms)
        {
            ArgumentNullException.ThrowIfNull(term, nameof(Terms));
            if (!double.IsFinite(term.Weight) || term.Weight < 0)
            {
                throw new ArgumentException($"weight of {term.Kind} must be finite and >= 0 (got {term.Weight})", nameof(Terms));
            }
        }

        var duplicate = Terms.GroupBy(t => t.Kind).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"{duplicate.Key} appears more than once in the terms", nameof(Terms));
        }

        if (!ActiveTerms.Any())
        {
            throw new ArgumentException("the objective needs at least one term with a weight > 0", nameof(Terms));
        }

        LossTensors.CheckTemperature(Temperature);
        LossTensors.CheckUnitInterval(Beta, nameof(Beta));
        ArgumentOutOfRangeException.ThrowIfNegative(TopK);
        if (ConfidenceThreshold is { } threshold && !(threshold > 0 && threshold <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ConfidenceThreshold), threshold, "ConfidenceThreshold must be in (0, 1]");
        }
    }
}
