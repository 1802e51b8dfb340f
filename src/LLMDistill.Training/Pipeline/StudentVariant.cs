using LLMDistill.Training.Options;

namespace LLMDistill.Pipeline;

/// <summary>
/// One student the <c>run</c> job trains: its name (also its folder under <c>students/</c>), the subset of the data it
/// trains on, and whether it learns from the teacher's distributions (token-level KD, the <c>Train:Loss</c> objective)
/// or only from the teacher's text (sequence-level distillation: cross-entropy on the answers). Every variant trains
/// for the same <c>Train:Steps</c> with the same architecture and seed.
/// </summary>
/// <param name="Name">Folder and report name.</param>
/// <param name="Subset">The <see cref="DatasetSplitter"/> subset it trains on.</param>
/// <param name="TokenLevel">True: the configured distillation objective with the teacher's targets; false: CE only, no teacher targets.</param>
/// <param name="Description">What the variant is, for the report.</param>
public sealed record StudentVariant(string Name, string Subset, bool TokenLevel, string Description)
{
    /// <summary>The token-level-KD student on all training samples (the run's main student).</summary>
    public static StudentVariant Distilled { get; } = new("kd", DatasetSplitter.TrainName, true, "token-level KD, all training samples");

    /// <summary>The same-size student trained with sequence-level CE only on the same data and steps.</summary>
    public static StudentVariant SequenceLevel { get; } = new("ce", DatasetSplitter.TrainName, false, "sequence-level CE only, all training samples");

    /// <summary>The KD student on the samples of highest teaching value.</summary>
    public static StudentVariant Filtered { get; } = new("kd-filtered", DatasetSplitter.FilteredName, true, "token-level KD, highest teaching value subset");

    /// <summary>The KD student on a random subset of the same size.</summary>
    public static StudentVariant Random { get; } = new("kd-random", DatasetSplitter.RandomName, true, "token-level KD, random subset of equal size");

    /// <summary>The variants a run trains: <see cref="Distilled"/>, plus the comparison students when <c>Run:Compare</c> is on.</summary>
    public static IReadOnlyList<StudentVariant> Plan(RunOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Compare ? [Distilled, SequenceLevel, Filtered, Random] : [Distilled];
    }

    /// <summary>Turns the run's <c>Train</c> options into this variant's: sequence-level variants get CE as their only term and no teacher targets.</summary>
    public void Apply(TrainOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (TokenLevel)
        {
            return;
        }

        options.Targets = TargetSource.None;
        options.Loss.CrossEntropy = 1;
        options.Loss.ForwardKl = 0;
        options.Loss.ReverseKl = 0;
        options.Loss.Jsd = 0;
        options.Loss.TopKKl = 0;
        options.Loss.Alpha = null;
        options.Loss.ConfidenceThreshold = null;
        options.HiddenStates.Weight = 0;
        options.OnPolicy.Lambda = 0;
    }
}
