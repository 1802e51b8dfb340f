using static TorchSharp.torch;

namespace LLMDistill.Model;

/// <summary>Rotary cos/sin tables for a batch of positions, each (B, T, head_dim), in the activations' dtype.</summary>
/// <param name="Cos">cos(position * inverse frequency), halves duplicated.</param>
/// <param name="Sin">sin(position * inverse frequency), halves duplicated.</param>
internal sealed record RotaryTables(Tensor Cos, Tensor Sin)
{
    /// <summary>
    /// Rotates queries or keys (B, heads, T, D): <c>x * cos + rotate_half(x) * sin</c>, the "rotate half" layout of
    /// Hugging Face Llama checkpoints (not the interleaved layout of Meta's original code).
    /// </summary>
    public Tensor Apply(Tensor x)
    {
        using var scope = NewDisposeScope();
        var half = x.shape[^1] / 2;
        var cos = Cos.unsqueeze(1); // (B, 1, T, D)
        var sin = Sin.unsqueeze(1); // (B, 1, T, D)
        var x1 = x.narrow(-1, 0, half);
        var x2 = x.narrow(-1, half, half);
        var rotated = cat([x2.neg(), x1], -1); // (B, heads, T, D)
        return ((x * cos) + (rotated * sin)).MoveToOuterDisposeScope();
    }
}
