using System.ComponentModel.DataAnnotations;

namespace LLMDistill.Training.Options;

/// <summary>
/// <c>Train:Student</c>: the student's architecture (a fresh Llama-style model whose vocabulary is the teacher's) or a
/// checkpoint directory to start from (then the architecture keys are ignored).
/// </summary>
public sealed class StudentOptions
{
    /// <summary>Hugging Face model directory to initialise from; null for a fresh model.</summary>
    /// <value>Default none.</value>
    public string? InitFrom { get; set; }

    /// <summary>Decoder layers.</summary>
    /// <value>Default 4.</value>
    [Range(1, 1024)]
    public int Layers { get; set; } = 4;

    /// <summary>Width of the residual stream.</summary>
    /// <value>Default 256.</value>
    [Range(2, 1 << 16)]
    public int HiddenSize { get; set; } = 256;

    /// <summary>Query heads.</summary>
    /// <value>Default 8.</value>
    [Range(1, 1024)]
    public int Heads { get; set; } = 8;

    /// <summary>Key/value heads (fewer than <see cref="Heads"/> = grouped-query attention); must divide <see cref="Heads"/>.</summary>
    /// <value>Default 4.</value>
    [Range(1, 1024)]
    public int KeyValueHeads { get; set; } = 4;

    /// <summary>Width of the SwiGLU MLP; 0 = 8/3 of <see cref="HiddenSize"/> rounded up to a multiple of 64.</summary>
    /// <value>Default 0.</value>
    [Range(0, 1 << 20)]
    public int IntermediateSize { get; set; }

    /// <summary>Longest context written into config.json; 0 = the larger of <c>Train:SequenceLength</c> and the teacher's.</summary>
    /// <value>Default 0.</value>
    [Range(0, 1 << 24)]
    public int MaxPositionEmbeddings { get; set; }

    /// <summary>Rotary base.</summary>
    /// <value>Default 10000.</value>
    [Range(1.0, 1e9)]
    public double RopeTheta { get; set; } = 10000.0;

    /// <summary>Share the embedding matrix with the output head (saves V × hidden parameters).</summary>
    /// <value>Default true.</value>
    public bool TieWordEmbeddings { get; set; } = true;

    /// <summary>Epsilon of RMSNorm.</summary>
    /// <value>Default 1e-5.</value>
    [Range(1e-12, 1.0)]
    public double RmsNormEps { get; set; } = 1e-5;

    /// <summary>Standard deviation of the initial weights.</summary>
    /// <value>Default 0.02.</value>
    [Range(1e-6, 1.0)]
    public double InitializerRange { get; set; } = 0.02;

    /// <summary>The MLP width to use: <see cref="IntermediateSize"/>, or 8/3·hidden rounded up to a multiple of 64.</summary>
    public int ResolvedIntermediateSize => IntermediateSize > 0 ? IntermediateSize : (int)Math.Ceiling(HiddenSize * 8 / 3.0 / 64) * 64;
}
