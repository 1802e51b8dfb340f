namespace LLMDistill.Losses;

/// <summary>What confidence-selective distillation does at positions where the teacher is not confident.</summary>
public enum LowConfidenceFallback
{
    /// <summary>
    /// Replace the soft terms by cross-entropy on the labels with the same total weight, so every position keeps
    /// its weight in the objective (Hinton α with α·CE + (1−α)·KL becomes plain CE there).
    /// </summary>
    HardLabels,

    /// <summary>Drop the soft terms there; explicit CE terms still apply.</summary>
    None,
}
