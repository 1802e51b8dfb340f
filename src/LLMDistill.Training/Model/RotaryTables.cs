using static TorchSharp.torch;

namespace LLMDistill.Model;

/// <summary>Rotary cos/sin tables for a batch of positions, shaped (B, 1, T, head_dim) to broadcast over heads.</summary>
/// <param name="Cos">cos(position * inverse frequency), halves duplicated.</param>
/// <param name="SignedSin">sin(position * inverse frequency) with the first half negated (folds rotate_half's sign in).</param>
internal sealed record RotaryTables(Tensor Cos, Tensor SignedSin)
{
    /// <summary>
    /// Rotates queries or keys (B, heads, T, D) in the "rotate half" layout of Hugging Face Llama checkpoints:
    /// <c>x * cos + rotate_half(x) * sin</c>, with <c>rotate_half(x) = cat(-x2, x1)</c>. Computed as
    /// <c>x * cos + roll(x, D/2) * signed_sin</c>: four ops instead of nine, and bit-identical (negation is exact).
    /// </summary>
    public Tensor Apply(Tensor x)
    {
        using var scope = NewDisposeScope();
        var swapped = x.roll(x.shape[^1] / 2, -1); // (B, heads, T, D): cat(x2, x1)
        return ((x * Cos) + (swapped * SignedSin)).MoveToOuterDisposeScope();
    }
}
