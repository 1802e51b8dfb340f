using TorchSharp;
using static TorchSharp.torch;

namespace LLMDistill.Model;

#pragma warning disable IDE1006 // HF names: the field name is the checkpoint key

/// <summary>RMSNorm as in <c>LlamaRMSNorm</c>: normalise in float32 (half-precision variance is too coarse), cast back, scale.</summary>
internal sealed class LlamaRmsNorm : nn.Module<Tensor, Tensor>
{
    private readonly TorchSharp.Modules.Parameter weight;
    private readonly double _eps;

    public LlamaRmsNorm(long size, double eps, Device? device, ScalarType dtype)
        : base(nameof(LlamaRmsNorm))
    {
        weight = new TorchSharp.Modules.Parameter(ones(size, dtype: dtype, device: device));
        _eps = eps;
        RegisterComponents();
    }

    /// <summary>The scale vector (for initialisation).</summary>
    public TorchSharp.Modules.Parameter Weight => weight;

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var inputDtype = input.dtype;
        var isFloat32 = inputDtype == ScalarType.Float32; // skip two no-op casts on the float32 hot path
        var x = isFloat32 ? input : input.to_type(ScalarType.Float32);
        var variance = x.pow(2).mean([-1L], keepdim: true); // (..., 1)
        x = x * (variance + _eps).rsqrt();
        return (weight * (isFloat32 ? x : x.to_type(inputDtype))).MoveToOuterDisposeScope();
    }
}
