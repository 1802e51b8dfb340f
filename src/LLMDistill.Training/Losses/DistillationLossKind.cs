namespace LLMDistill.Losses;

/// <summary>The loss terms a <see cref="DistillationObjective"/> can combine.</summary>
public enum DistillationLossKind
{
    /// <summary>Cross-entropy on the labels (sequence-level KD on the teacher's text); no temperature.</summary>
    CrossEntropy,

    /// <summary>τ²·KL(p_t ‖ p_s), Hinton et al. 2015. Needs dense teacher logits.</summary>
    ForwardKl,

    /// <summary>τ²·KL(p_s ‖ p_t), Gu et al. 2024 (MiniLLM). Needs dense teacher logits.</summary>
    ReverseKl,

    /// <summary>Generalized JSD(β), Agarwal et al. 2024 (GKD) Eq. (1). Needs dense teacher logits.</summary>
    GeneralizedJsd,

    /// <summary>
    /// τ²·KL over the teacher's top-k tokens: from dense logits (k = <see cref="DistillationObjective.TopK"/>) or
    /// from sparse stored top-k (all stored slots, or the best <see cref="DistillationObjective.TopK"/> of them).
    /// </summary>
    TopKKl,
}
