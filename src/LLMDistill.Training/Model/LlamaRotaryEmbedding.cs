using static TorchSharp.torch;

namespace LLMDistill.Model;

/// <summary>
/// Rotary position embedding tables, computed from position ids on the fly (so any position works, and packed rows
/// whose positions restart per sample work too). Frequencies follow transformers' float32 arithmetic so logits match.
/// </summary>
internal sealed class LlamaRotaryEmbedding : IDisposable
{
    private readonly float[] _invFreq;
    private Tensor? _invFreqOnDevice; // (D/2,) float32 on the device of the last call; tiny, cached to skip a copy per step

    public LlamaRotaryEmbedding(LlamaConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        _invFreq = InverseFrequencies(config);
    }

    /// <summary>The inverse frequencies, one per rotated pair.</summary>
    public IReadOnlyList<float> InverseFrequency => _invFreq;

    /// <summary>cos/sin tables (B, 1, T, D) for <paramref name="positionIds"/> (B, T) int64, cast to <paramref name="dtype"/> as transformers does.</summary>
    public RotaryTables Compute(Tensor positionIds, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var invFreq = InvFreqOn(positionIds.device);
        var freqs = positionIds.to_type(ScalarType.Float32).unsqueeze(1).unsqueeze(-1) * invFreq; // (B, 1, T, D/2)
        var cos = freqs.cos();
        var sin = freqs.sin();
        var fullCos = cat([cos, cos], -1).to_type(dtype).MoveToOuterDisposeScope(); // (B, 1, T, D)
        var signedSin = cat([sin.neg(), sin], -1).to_type(dtype).MoveToOuterDisposeScope(); // (B, 1, T, D)
        return new RotaryTables(fullCos, signedSin);
    }

    public void Dispose() => _invFreqOnDevice?.Dispose();

    private Tensor InvFreqOn(Device device)
    {
        if (_invFreqOnDevice is { } cached && cached.device_type == device.type && cached.device_index == device.index)
        {
            return cached;
        }

        _invFreqOnDevice?.Dispose();
        using var host = tensor(_invFreq);
        _invFreqOnDevice = host.to(device).DetachFromDisposeScope();
        return _invFreqOnDevice;
    }

    private static float[] InverseFrequencies(LlamaConfig config)
    {
        // transformers: 1 / base ** (arange(0, dim, 2).float() / dim), all in float32.
        using var scope = NewDisposeScope();
        var exponents = arange(0, config.HeadDim, 2, ScalarType.Int64).to_type(ScalarType.Float32) / (float)config.HeadDim;
        var invFreq = pow((float)config.RopeTheta, exponents).reciprocal();
        var values = invFreq.data<float>().ToArray();
        if (config.RopeScaling is { } scaling)
        {
            var scaled = scaling.Apply(values.Select(v => (double)v).ToArray());
            values = scaled.Select(v => (float)v).ToArray();
        }

        return values;
    }
}
