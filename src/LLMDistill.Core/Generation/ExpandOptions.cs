using System.ComponentModel.DataAnnotations;

namespace LLMDistill.Generation;

/// <summary><c>Generate:Expand</c>: how the teacher writes new tasks (Self-Instruct, Evol-Instruct, completion openings).</summary>
public sealed class ExpandOptions : IValidatableObject
{
    /// <summary>Evol-Instruct operators used when <see cref="EvolOperators"/> is empty.</summary>
    public static readonly IReadOnlyList<string> DefaultEvolOperators = ["deepen", "concretise", "constrain", "broaden"];

    /// <summary>Expansion requests per round; a round's accepted tasks become examples for the next.</summary>
    /// <value>8.</value>
    [Range(1, 10_000)]
    public int RequestsPerRound { get; set; } = 8;

    /// <summary>New tasks asked for per Self-Instruct request.</summary>
    /// <value>8.</value>
    [Range(1, 100)]
    public int TasksPerRequest { get; set; } = 8;

    /// <summary>Seed examples per request (Self-Instruct uses 6 human + 2 machine tasks).</summary>
    /// <value>4.</value>
    [Range(1, 50)]
    public int SeedExamples { get; set; } = 4;

    /// <summary>Accepted generated tasks added as examples once there are some.</summary>
    /// <value>2.</value>
    [Range(0, 50)]
    public int GeneratedExamples { get; set; } = 2;

    /// <summary>Fraction of chat requests that apply an Evol-Instruct operator to one accepted task instead of Self-Instruct.</summary>
    /// <value>0.3.</value>
    [Range(0.0, 1.0)]
    public double EvolFraction { get; set; } = 0.3;

    /// <summary>Evol operators to use, each a template <c>prompts/evol-&lt;operator&gt;.md</c>.</summary>
    /// <value>Empty, meaning deepen, concretise, constrain, broaden.</value>
    public IList<string> EvolOperators { get; } = [];

    /// <summary>Stop after this many rounds even if the target is not reached.</summary>
    /// <value>10000.</value>
    [Range(1, 1_000_000)]
    public int MaxRounds { get; set; } = 10_000;

    /// <summary>Stop when this many consecutive rounds add no new task (the teacher only repeats itself).</summary>
    /// <value>5.</value>
    [Range(1, 1000)]
    public int StallRounds { get; set; } = 5;

    /// <summary>Shortest acceptable task, in characters.</summary>
    /// <value>12.</value>
    [Range(1, 100_000)]
    public int MinTaskChars { get; set; } = 12;

    /// <summary>Longest acceptable task, in characters.</summary>
    /// <value>1500.</value>
    [Range(1, 1_000_000)]
    public int MaxTaskChars { get; set; } = 1500;

    /// <summary>Lines an opening keeps in completion mode (speaker line plus first line of verse).</summary>
    /// <value>2.</value>
    [Range(1, 20)]
    public int OpeningLines { get; set; } = 2;

    /// <summary>Sampling of expansion requests (their seeds derive from <see cref="GenerateOptions.Seed"/>, round and request).</summary>
    public SamplingOptions Sampling { get; set; } = new() { Temperature = 1.0f, MaxTokens = 1024 };

    /// <summary>The operators in effect.</summary>
    public IReadOnlyList<string> EffectiveEvolOperators => EvolOperators.Count > 0 ? [.. EvolOperators] : DefaultEvolOperators;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MinTaskChars > MaxTaskChars)
        {
            yield return new ValidationResult($"must not exceed MaxTaskChars ({MaxTaskChars})", [nameof(MinTaskChars)]);
        }

        foreach (var op in EvolOperators.Where(o => string.IsNullOrWhiteSpace(o) || o.Any(c => !char.IsAsciiLetterOrDigit(c) && c != '-')))
        {
            yield return new ValidationResult($"'{op}' is not a valid operator name (letters, digits, '-')", [nameof(EvolOperators)]);
        }

        foreach (var result in NestedValidation.Validate(Sampling, nameof(Sampling)))
        {
            yield return result;
        }
    }
}
