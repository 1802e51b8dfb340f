using System.ComponentModel.DataAnnotations;
using LLMDistill.Teachers;

namespace LLMDistill.Generation;

/// <summary>Sampling parameters as configured (the per-request seed is derived, not configured).</summary>
public sealed class SamplingOptions
{
    /// <summary>Temperature.</summary>
    /// <value>0.7.</value>
    [Range(0.0, 2.0)]
    public float Temperature { get; set; } = 0.7f;

    /// <summary>Nucleus sampling threshold.</summary>
    /// <value>1.0.</value>
    [Range(0.0, 1.0)]
    public float TopP { get; set; } = 1.0f;

    /// <summary>Maximum new tokens.</summary>
    /// <value>512.</value>
    [Range(1, 1_000_000)]
    public int MaxTokens { get; set; } = 512;

    /// <summary>Stop sequences.</summary>
    public IList<string> Stop { get; } = [];

    /// <summary>The request parameters with <paramref name="seed"/>.</summary>
    public SamplingParameters ToParameters(int? seed)
        => new(Temperature, TopP, MaxTokens, seed, Stop.Count > 0 ? [.. Stop] : null);
}
