using System.ComponentModel.DataAnnotations;

namespace LLMDistill.Training.Options;

/// <summary>
/// <c>Train:HiddenStates</c>: FitNets-style hidden-state distillation (Romero et al. 2015): student layer i's output,
/// through a learned linear projection when the widths differ, regresses teacher layer j's output (MSE). The
/// projections are trained with the student and left out of the exported model. Needs a local teacher.
/// </summary>
public sealed class HiddenStateOptions
{
    /// <summary>Weight of the hidden-state MSE in the loss; 0 turns it off.</summary>
    /// <value>Default 0.</value>
    [Range(0.0, 1e6)]
    public double Weight { get; set; }

    /// <summary>
    /// Layer pairs <c>"i:j"</c> (1-based layer outputs; 0 = embeddings), e.g. <c>["2:4", "4:8"]</c>. Empty = each student
    /// layer i maps to teacher layer round(i · teacherLayers / studentLayers).
    /// </summary>
    /// <value>Default empty.</value>
    public IReadOnlyList<string> Layers { get; set; } = [];
}
