using System.ComponentModel.DataAnnotations;
using LLMDistill.Losses;
using LLMDistill.Training.Schedules;

namespace LLMDistill.Training.Options;

/// <summary>
/// <c>Train:Loss</c>: the weighted distillation objective (see <see cref="DistillationObjective"/>). With
/// <see cref="Alpha"/> set the weights follow Hinton et al.: CE gets α and every soft term is scaled by (1 − α).
/// </summary>
public sealed class LossOptions
{
    /// <summary>Weight of cross-entropy on the labels (the teacher's text: sequence-level KD).</summary>
    /// <value>Default 0.</value>
    [Range(0.0, 1e6)]
    public double CrossEntropy { get; set; }

    /// <summary>Weight of τ²·KL(p_t ‖ p_s) (needs a local teacher).</summary>
    /// <value>Default 1.</value>
    [Range(0.0, 1e6)]
    public double ForwardKl { get; set; } = 1.0;

    /// <summary>Weight of τ²·KL(p_s ‖ p_t) (needs a local teacher).</summary>
    /// <value>Default 0.</value>
    [Range(0.0, 1e6)]
    public double ReverseKl { get; set; }

    /// <summary>Weight of the generalized JSD(β) of GKD (needs a local teacher).</summary>
    /// <value>Default 0.</value>
    [Range(0.0, 1e6)]
    public double Jsd { get; set; }

    /// <summary>Weight of the top-k KL (stored top-k, or a local teacher's k best tokens with <see cref="TopK"/>).</summary>
    /// <value>Default 0.</value>
    [Range(0.0, 1e6)]
    public double TopKKl { get; set; }

    /// <summary>β of the generalized JSD.</summary>
    /// <value>Default 0.5.</value>
    [Range(0.0, 1.0)]
    public double Beta { get; set; } = 0.5;

    /// <summary>k of the top-k KL: required with a local teacher; with stored targets 0 = every stored slot.</summary>
    /// <value>Default 0.</value>
    [Range(0, 1 << 20)]
    public int TopK { get; set; }

    /// <summary>Missing-mass treatment of stored top-k targets.</summary>
    /// <value>Default Renormalize.</value>
    [EnumDataType(typeof(SparseMissingMass))]
    public SparseMissingMass MissingMass { get; set; } = SparseMissingMass.Renormalize;

    /// <summary>Confidence-selective distillation: soft terms only where the teacher's top probability is at least this.</summary>
    /// <value>Default none (off).</value>
    [Range(1e-9, 1.0)]
    public double? ConfidenceThreshold { get; set; }

    /// <summary>What happens below <see cref="ConfidenceThreshold"/>.</summary>
    /// <value>Default HardLabels.</value>
    [EnumDataType(typeof(LowConfidenceFallback))]
    public LowConfidenceFallback LowConfidence { get; set; } = LowConfidenceFallback.HardLabels;

    /// <summary>Softmax temperature τ per step (constant, linear or staged); must stay &gt; 0.</summary>
    /// <value>Default constant 1.</value>
    public ValueSchedule Temperature { get; set; } = ValueSchedule.Constant(1.0);

    /// <summary>Hinton's α per step, in [0, 1]; null leaves the weights as given.</summary>
    /// <value>Default none.</value>
    public ValueSchedule? Alpha { get; set; }

    /// <summary>Whether any soft (teacher-distribution) term has a weight &gt; 0.</summary>
    public bool HasSoftTerms => ForwardKl > 0 || ReverseKl > 0 || Jsd > 0 || TopKKl > 0;

    /// <summary>Whether any term needs the teacher's full distribution (forward/reverse KL, JSD).</summary>
    public bool HasDenseTerms => ForwardKl > 0 || ReverseKl > 0 || Jsd > 0;
}
