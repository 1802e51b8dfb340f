using System.ComponentModel.DataAnnotations;

namespace LLMDistill.Evaluation;

/// <summary>
/// Settings of <c>llmdistill eval</c> and <see cref="ModelEvaluator"/> (the scalar keys of section <c>Eval</c> of
/// appsettings.json; <c>Eval:TokenMetrics</c>, <c>Eval:Judge</c> and <c>Eval:Report</c> are bound separately).
/// </summary>
public sealed class EvalOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Eval";

    /// <summary>Most samples evaluated (the first ones in file order).</summary>
    /// <value>Default 200.</value>
    [Range(1, 10_000_000)]
    public int MaxSamples { get; set; } = 200;

    /// <summary>Rows per teacher-forced forward pass.</summary>
    /// <value>Default 16.</value>
    [Range(1, 4096)]
    public int BatchSize { get; set; } = 16;

    /// <summary>Most tokens (rows × padded length) per teacher-forced forward pass; bounds the activations.</summary>
    /// <value>Default 16384.</value>
    [Range(16, 16_777_216)]
    public int MaxTokensPerBatch { get; set; } = 16384;

    /// <summary>
    /// Optional system message put before every chat task, for the student, local teachers and API teachers alike. Set it
    /// to the <c>Train:Data:SystemPrompt</c> the student was trained with (the <c>run</c> job does this when it is unset),
    /// so evaluation scores the prompts training taught.
    /// </summary>
    /// <value>Default none.</value>
    public string? SystemPrompt { get; set; }

    /// <summary>Longest prompt + response in tokens; longer responses are cut at the end (and the cut is counted).</summary>
    /// <value>Default 1024.</value>
    [Range(2, 1_048_576)]
    public int MaxSequenceLength { get; set; } = 1024;

    /// <summary>
    /// Memory for the vocabulary-sized tensors of one chunk of positions (log-probabilities of every model and the
    /// pairwise temporaries), in MiB: the token-level pass walks the scored positions in chunks that fit.
    /// </summary>
    /// <value>Default 256.</value>
    [Range(1, 65_536)]
    public int LogitsBudgetMiB { get; set; } = 256;

    /// <summary>Run free generation and the sequence-level metrics (exact match, ROUGE-L, BLEU, chrF, diversity).</summary>
    /// <value>Default true.</value>
    public bool Generation { get; set; } = true;

    /// <summary>Most samples used for free generation (the first ones of the evaluated samples).</summary>
    /// <value>Default 200.</value>
    [Range(1, 10_000_000)]
    public int MaxGenerationSamples { get; set; } = 200;

    /// <summary>Most new tokens per free generation (greedy).</summary>
    /// <value>Default 64.</value>
    [Range(1, 65_536)]
    public int MaxNewTokens { get; set; } = 64;

    /// <summary>Where the reference answers of the sequence-level metrics come from.</summary>
    /// <value>Default <see cref="ReferenceSource.Auto"/>.</value>
    public ReferenceSource References { get; set; } = ReferenceSource.Auto;

    /// <summary>Text files: characters per evaluation window (whole lines; a window ends at the first line break past this).</summary>
    /// <value>Default 500.</value>
    [Range(16, 1_000_000)]
    public int TextWindowChars { get; set; } = 500;

    /// <summary>Text files: characters of each window used as the prompt (whole lines; at least one line).</summary>
    /// <value>Default 100.</value>
    [Range(1, 1_000_000)]
    public int TextPromptChars { get; set; } = 100;

    /// <summary>Text files: where evaluation starts, as a fraction of the file (e.g. 0.9 for the last 10% held out).</summary>
    /// <value>Default 0.</value>
    [Range(0.0, 0.999999)]
    public double TextStart { get; set; }

    /// <summary>Measure generation speed (tokens/s, latency per token) of every local model.</summary>
    /// <value>Default true.</value>
    public bool Speed { get; set; } = true;

    /// <summary>Tokens generated per speed measurement (after one warm-up run); stop tokens are ignored.</summary>
    /// <value>Default 32.</value>
    [Range(1, 65_536)]
    public int SpeedNewTokens { get; set; } = 32;

    /// <summary>Rows of the batched throughput measurement (latency per token is measured with one row).</summary>
    /// <value>Default 8.</value>
    [Range(1, 4096)]
    public int SpeedBatchSize { get; set; } = 8;

    /// <summary>Prompt tokens of each speed measurement row.</summary>
    /// <value>Default 32.</value>
    [Range(1, 65_536)]
    public int SpeedPromptTokens { get; set; } = 32;

    /// <summary>Teachers answering at the same time when API teachers generate reference answers.</summary>
    /// <value>Default 8.</value>
    [Range(1, 1024)]
    public int ApiConcurrency { get; set; } = 8;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (TextPromptChars >= TextWindowChars)
        {
            yield return new ValidationResult($"must be less than TextWindowChars ({TextWindowChars}) (got {TextPromptChars})", [nameof(TextPromptChars)]);
        }
    }
}
