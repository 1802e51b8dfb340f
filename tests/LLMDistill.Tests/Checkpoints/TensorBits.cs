using static TorchSharp.torch;

namespace LLMDistill.Tests.Checkpoints;

/// <summary>Bit-exact tensor comparison: same dtype, same shape, same bytes in logical order.</summary>
internal static class TensorBits
{
    public static bool Same(Tensor expected, Tensor actual)
    {
        if (expected.dtype != actual.dtype || !expected.shape.SequenceEqual(actual.shape))
        {
            return false;
        }

        using var a = expected.detach().cpu().contiguous();
        using var b = actual.detach().cpu().contiguous();
        return a.bytes.SequenceEqual(b.bytes);
    }
}
