namespace LLMDistill.Training.Options;

/// <summary>Where the token-level (soft) targets of the distillation loss come from.</summary>
public enum TargetSource
{
    /// <summary><see cref="Local"/> when <c>Train:Teacher</c> is set, else <see cref="Stored"/> when the data has top-k logprobs, else <see cref="None"/>.</summary>
    Auto,

    /// <summary>A local teacher model runs on every batch (no_grad, same device): full distributions.</summary>
    Local,

    /// <summary>Top-k log-probabilities stored in the dataset (API or local teacher at generation time).</summary>
    Stored,

    /// <summary>No soft targets: sequence-level distillation (cross-entropy on the teacher's text) only.</summary>
    None,
}
