using System.ComponentModel.DataAnnotations;
using LLMDistill.Teachers;

namespace LLMDistill.Generation;

/// <summary>The <c>Generate</c> section: what <c>llmdistill generate</c> produces and how.</summary>
public sealed class GenerateOptions : IValidatableObject
{
    /// <summary>The appsettings.json section.</summary>
    public const string SectionName = "Generate";

    /// <summary>Seed globs used when <see cref="Seeds"/> is empty.</summary>
    public static readonly IReadOnlyList<string> DefaultSeeds = ["seeds/*.jsonl", "seeds/*.txt"];

    /// <summary>Chat (instruction → answer) or Completion (prefix → continuation, for base-model teachers).</summary>
    /// <value>Chat.</value>
    public TeacherMode Mode { get; set; } = TeacherMode.Chat;

    /// <summary>Seed files or globs (<c>*.jsonl</c> with an <c>instruction</c>/<c>prompt</c> field, or <c>*.txt</c> one per line), relative to the working directory.</summary>
    /// <value>Empty, meaning <see cref="DefaultSeeds"/>. Seed lines whose <c>mode</c> differs from <see cref="Mode"/> are skipped.</value>
    public IList<string> Seeds { get; } = [];

    /// <summary>Directory of the prompt templates.</summary>
    /// <value>prompts.</value>
    [Required]
    public string PromptsDirectory { get; set; } = "prompts";

    /// <summary>The dataset directory to write (overridden by <c>--out</c>).</summary>
    /// <value>data/generated.</value>
    [Required]
    public string OutputDirectory { get; set; } = "data/generated";

    /// <summary>How many samples the dataset should hold.</summary>
    /// <value>1000.</value>
    [Range(1, 10_000_000)]
    public int TargetSamples { get; set; } = 1000;

    /// <summary>Random seed: example selection, operators and per-task sampling seeds derive from it and from content.</summary>
    /// <value>1234.</value>
    public int Seed { get; set; } = 1234;

    /// <summary>Whether the seed tasks themselves are answered and can become samples (they always serve as examples).</summary>
    /// <value>true.</value>
    public bool IncludeSeeds { get; set; } = true;

    /// <summary>What a malformed seed line does: Skip (reported with file:line) or Fail (stops at start-up).</summary>
    /// <value>Skip.</value>
    public SeedErrorMode SeedErrors { get; set; } = SeedErrorMode.Skip;

    /// <summary>Teacher (name under <c>Teachers</c>) that writes new tasks.</summary>
    [Required]
    public string ExpandTeacher { get; set; } = "";

    /// <summary>Teachers that answer every task; several make a multi-teacher run merged by <see cref="MultiTeacher"/>.</summary>
    public IList<string> AnswerTeachers { get; } = [];

    /// <summary>Teacher that judges teaching value with the rubric (null or empty: no judge).</summary>
    public string? JudgeTeacher { get; set; }

    /// <summary>Scoring teacher (<c>IScoringTeacherClient</c>) for perplexity and IFD (null or empty: only the answer's own logprobs).</summary>
    public string? ScoringTeacher { get; set; }

    /// <summary>Stage 1: expansion.</summary>
    public ExpandOptions Expand { get; set; } = new();

    /// <summary>Stage 2: deduplication.</summary>
    public DedupeOptions Dedupe { get; set; } = new();

    /// <summary>Stage 3: answering.</summary>
    public AnswerOptions Answer { get; set; } = new();

    /// <summary>Stage 4: teaching-value scoring.</summary>
    public ScoreOptions Score { get; set; } = new();

    /// <summary>Stage 5: filtering.</summary>
    public FilterOptions Filter { get; set; } = new();

    /// <summary>Multi-teacher merging and token-level mixtures.</summary>
    public MultiTeacherOptions MultiTeacher { get; set; } = new();

    /// <summary>Parallelism, channel sizes and output batching (do not change the dataset, only speed).</summary>
    public PipelineOptions Pipeline { get; set; } = new();

    /// <summary>The seed globs in effect.</summary>
    public IReadOnlyList<string> EffectiveSeeds => Seeds.Count > 0 ? [.. Seeds] : DefaultSeeds;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (AnswerTeachers.Count == 0 || AnswerTeachers.Any(string.IsNullOrWhiteSpace))
        {
            yield return new ValidationResult("at least one teacher name is required", [nameof(AnswerTeachers)]);
        }

        if (AnswerTeachers.Distinct(StringComparer.Ordinal).Count() != AnswerTeachers.Count)
        {
            yield return new ValidationResult("a teacher is listed twice", [nameof(AnswerTeachers)]);
        }

        foreach (var (name, child) in new (string, object)[] { (nameof(Expand), Expand), (nameof(Dedupe), Dedupe), (nameof(Answer), Answer), (nameof(Score), Score), (nameof(Filter), Filter), (nameof(MultiTeacher), MultiTeacher), (nameof(Pipeline), Pipeline) })
        {
            foreach (var result in NestedValidation.Validate(child, name))
            {
                yield return result;
            }
        }

        foreach (var teacher in MultiTeacher.MixtureWeights.Keys.Where(k => !AnswerTeachers.Contains(k)))
        {
            yield return new ValidationResult($"'{teacher}' is not one of Generate:AnswerTeachers", [$"{nameof(MultiTeacher)}:{nameof(MultiTeacherOptions.MixtureWeights)}"]);
        }
    }
}
