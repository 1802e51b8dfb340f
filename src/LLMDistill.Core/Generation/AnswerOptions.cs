using System.ComponentModel.DataAnnotations;

namespace LLMDistill.Generation;

/// <summary><c>Generate:Answer</c>: how the teachers answer tasks.</summary>
public sealed class AnswerOptions
{
    /// <summary>Top-k logprobs to keep per answer token where the teacher offers them (capped by its capability; 0 = none).</summary>
    /// <value>5.</value>
    [Range(0, 100)]
    public int TopLogprobs { get; set; } = 5;

    /// <summary>Sampling of answers (each task's seed derives from <see cref="GenerateOptions.Seed"/> and the task's content).</summary>
    public SamplingOptions Sampling { get; set; } = new();
}
