using System.ComponentModel.DataAnnotations;

namespace LLMDistill.Generation;

/// <summary>
/// <c>Generate:Score</c>: teaching value. The combined score is the weighted mean of the available normalised parts
/// (judge, perplexity, IFD, format), each in [0, 1]; a part that is unavailable drops out of the mean.
/// </summary>
public sealed class ScoreOptions
{
    /// <summary>Weight of the LLM judge's rubric score.</summary>
    /// <value>1.0.</value>
    [Range(0.0, 100.0)]
    public double JudgeWeight { get; set; } = 1.0;

    /// <summary>Weight of the perplexity signal (low perplexity of the answer given the task scores high).</summary>
    /// <value>0.25.</value>
    [Range(0.0, 100.0)]
    public double PerplexityWeight { get; set; } = 0.25;

    /// <summary>Weight of IFD = PPL(answer | task) / PPL(answer) (Li et al. 2023): high but below 1 scores high; 1 or more scores 0.</summary>
    /// <value>0.5.</value>
    [Range(0.0, 100.0)]
    public double IfdWeight { get; set; } = 0.5;

    /// <summary>Weight of the length/format checks.</summary>
    /// <value>0.5.</value>
    [Range(0.0, 100.0)]
    public double FormatWeight { get; set; } = 0.5;

    /// <summary>Perplexity that maps to a score of 0 (perplexity 1 maps to 1, log-linear in between).</summary>
    /// <value>1000.</value>
    [Range(1.0001, 1e12)]
    public double MaxPerplexity { get; set; } = 1000;

    /// <summary>Shorter answers (in characters) are rejected as <c>answer:too-short</c>.</summary>
    /// <value>1.</value>
    [Range(1, 1_000_000)]
    public int MinResponseChars { get; set; } = 1;

    /// <summary>Longer answers lose format score.</summary>
    /// <value>20000.</value>
    [Range(1, 10_000_000)]
    public int MaxResponseChars { get; set; } = 20_000;

    /// <summary>Sampling of judge requests (deterministic by default).</summary>
    public SamplingOptions JudgeSampling { get; set; } = new() { Temperature = 0f, MaxTokens = 400 };
}
