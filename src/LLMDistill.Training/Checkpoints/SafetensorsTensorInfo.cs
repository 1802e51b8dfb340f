namespace LLMDistill.Checkpoints;

/// <summary>One tensor entry of a safetensors header, validated against the file.</summary>
/// <param name="Name">Tensor name (the checkpoint key).</param>
/// <param name="Dtype">Safetensors dtype name (<c>F32</c>, <c>BF16</c>, ...).</param>
/// <param name="Shape">Dimensions (empty for a scalar).</param>
/// <param name="Begin">Start of the data, relative to the data section.</param>
/// <param name="End">End (exclusive) of the data, relative to the data section.</param>
public sealed record SafetensorsTensorInfo(string Name, string Dtype, IReadOnlyList<long> Shape, long Begin, long End)
{
    /// <summary>Size of the data in bytes.</summary>
    public long ByteCount => End - Begin;

    /// <summary>Number of elements.</summary>
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);
}
