using System.ComponentModel.DataAnnotations;

namespace LLMDistill.Evaluation.Judge;

/// <summary>Settings of the teacher-as-judge comparison (section <c>Eval:Judge</c> of appsettings.json).</summary>
public sealed class JudgeOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Eval:Judge";

    /// <summary>Name of the teacher (a key under <c>Teachers</c>) that judges; null lets the caller pick the first teacher.</summary>
    /// <value>Default null.</value>
    public string? Teacher { get; set; }

    /// <summary>The rubric template, relative to the working directory.</summary>
    /// <value>Default <c>prompts/judge-pairwise.md</c>.</value>
    [Required]
    public string TemplatePath { get; set; } = "prompts/judge-pairwise.md";

    /// <summary>Pairs judged at the same time (each pair sends two requests, one after the other).</summary>
    /// <value>Default 4.</value>
    [Range(1, 256)]
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>Sampling temperature of the judge; 0 makes verdicts as repeatable as the endpoint allows.</summary>
    /// <value>Default 0.</value>
    [Range(0.0, 2.0)]
    public float Temperature { get; set; }

    /// <summary>Most tokens the judge may write per verdict.</summary>
    /// <value>Default 512.</value>
    [Range(16, 8192)]
    public int MaxTokens { get; set; } = 512;

    /// <summary>Seed sent with every judge request, where the endpoint honours one.</summary>
    /// <value>Default 1234.</value>
    public int? Seed { get; set; } = 1234;

    /// <summary>Most pairs judged per evaluation (the first ones in dataset order).</summary>
    /// <value>Default 200.</value>
    [Range(1, 1_000_000)]
    public int MaxPairs { get; set; } = 200;
}
