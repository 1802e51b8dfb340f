using System.ComponentModel.DataAnnotations;
using LLMDistill.Generation;
using LLMDistill.Generation.Selection;

namespace LLMDistill.Pipeline;

/// <summary>
/// The <c>Run</c> section: the end-to-end job of <c>llmdistill run</c> (generate → split → train the student variants →
/// evaluate) and its built-in experiment, which shows whether distillation works on held-out data.
/// </summary>
public sealed class RunOptions : IValidatableObject
{
    /// <summary>The appsettings.json section.</summary>
    public const string SectionName = "Run";

    /// <summary>Name of the run: its directory is <c>&lt;RunsDirectory&gt;/&lt;Name&gt;</c> unless <c>--out</c> is given.</summary>
    /// <value>Empty: the teacher's model name (e.g. <c>shakespeare-4m</c>).</value>
    [RegularExpression("^[A-Za-z0-9][A-Za-z0-9._-]*$", ErrorMessage = "must be a plain folder name (letters, digits, '.', '_', '-')")]
    public string? Name { get; set; }

    /// <summary>Folder that holds the runs, relative to the working directory.</summary>
    /// <value>runs.</value>
    [Required(AllowEmptyStrings = false)]
    public string RunsDirectory { get; set; } = "runs";

    /// <summary>Fraction of the generated samples held out (chosen by a hash of their id): no student trains on them, and the evaluation uses them.</summary>
    /// <value>0.1.</value>
    [Range(0.01, 0.5)]
    public double HeldOutFraction { get; set; } = 0.1;

    /// <summary>
    /// Train the comparison students besides the token-level-KD student <c>kd</c>: <c>ce</c> (sequence-level CE only,
    /// same data and steps), <c>kd-filtered</c> (KD on the samples of highest teaching value) and <c>kd-random</c>
    /// (KD on a random subset of the same size).
    /// </summary>
    /// <value>true.</value>
    public bool Compare { get; set; } = true;

    /// <summary>Size of the filtered and random subsets as a fraction of the training samples.</summary>
    /// <value>0.5.</value>
    [Range(0.05, 0.95)]
    public double SubsetFraction { get; set; } = 0.5;

    /// <summary>The teaching-value signal that ranks samples for <c>kd-filtered</c> (highest first).</summary>
    /// <value><see cref="SelectionSignal.Combined"/>: the dataset's combined score.</value>
    [EnumDataType(typeof(SelectionSignal))]
    public SelectionSignal SelectBy { get; set; } = SelectionSignal.Combined;

    /// <summary>The distance constraint of <see cref="SelectionSignal.DiverseCombined"/> and <see cref="SelectionSignal.Diverse"/> (<c>Run:Diversity</c>); unused by the other signals.</summary>
    public DiversityOptions Diversity { get; set; } = new();

    /// <summary>
    /// Relative difference below which a comparison of two students is reported as a tie. Each student is one training
    /// run: on the demo dataset KL to the teacher varied by ±1.7% (one standard deviation) over seven random halves with
    /// everything else fixed, so the difference of two such runs varies by about ±2.4%, and only a difference beyond
    /// about twice that says something about the subsets rather than the luck of the draw.
    /// </summary>
    /// <value>0.05.</value>
    [Range(0.0, 1.0)]
    public double TieTolerance { get; set; } = 0.05;

    /// <summary>Seed of the held-out split and of the random subset.</summary>
    /// <value>1234.</value>
    public int Seed { get; set; } = 1234;

    /// <inheritdoc/>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) => NestedValidation.Validate(Diversity, nameof(Diversity));
}
