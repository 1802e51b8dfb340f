using LLMDistill.Losses;
using LLMDistill.Training.Options;

namespace LLMDistill.Training.Distillation;

/// <summary>The distillation objective of each step: <c>Train:Loss</c> weights with the temperature and α schedules applied.</summary>
internal sealed class ObjectiveSchedule(LossOptions loss)
{
    /// <summary>The objective of 0-based step <paramref name="step"/>, or null when no token-level term is active (hidden states only).</summary>
    /// <param name="step">Optimizer step.</param>
    /// <param name="temperature">τ at that step.</param>
    /// <param name="alpha">α at that step, or null without an α schedule.</param>
    public DistillationObjective? At(long step, out double temperature, out double? alpha)
    {
        temperature = loss.Temperature.At(step);
        alpha = loss.Alpha?.At(step);
        var hard = alpha ?? loss.CrossEntropy;
        var soft = alpha is { } a ? 1 - a : 1.0;
        LossTerm[] terms =
        [
            new(DistillationLossKind.CrossEntropy, hard),
            new(DistillationLossKind.ForwardKl, soft * loss.ForwardKl),
            new(DistillationLossKind.ReverseKl, soft * loss.ReverseKl),
            new(DistillationLossKind.GeneralizedJsd, soft * loss.Jsd),
            new(DistillationLossKind.TopKKl, soft * loss.TopKKl),
        ];
        var active = terms.Where(t => t.Weight > 0).ToArray();
        if (active.Length == 0)
        {
            return null;
        }

        return new DistillationObjective(active)
        {
            Temperature = temperature,
            Beta = loss.Beta,
            TopK = loss.TopK,
            MissingMass = loss.MissingMass,
            ConfidenceThreshold = loss.ConfidenceThreshold,
            LowConfidence = loss.LowConfidence,
        };
    }

    /// <summary>The metrics name of a loss term.</summary>
    public static string PartName(DistillationLossKind kind) => kind switch
    {
        DistillationLossKind.CrossEntropy => "ce",
        DistillationLossKind.ForwardKl => "forward_kl",
        DistillationLossKind.ReverseKl => "reverse_kl",
        DistillationLossKind.GeneralizedJsd => "jsd",
        DistillationLossKind.TopKKl => "topk_kl",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
