using static TorchSharp.torch;

namespace LLMDistill.Checkpoints;

/// <summary>The dtype names of the safetensors format, their element sizes and TorchSharp equivalents.</summary>
internal static class SafetensorsDtype
{
    private static readonly Dictionary<string, (int Size, ScalarType? Type)> Known = new(StringComparer.Ordinal)
    {
        ["BOOL"] = (1, ScalarType.Bool),
        ["U8"] = (1, ScalarType.Byte),
        ["I8"] = (1, ScalarType.Int8),
        ["I16"] = (2, ScalarType.Int16),
        ["I32"] = (4, ScalarType.Int32),
        ["I64"] = (8, ScalarType.Int64),
        ["F16"] = (2, ScalarType.Float16),
        ["BF16"] = (2, ScalarType.BFloat16),
        ["F32"] = (4, ScalarType.Float32),
        ["F64"] = (8, ScalarType.Float64),
        // In the format, but TorchSharp has no such scalar type: the header parses, reading the tensor fails.
        ["F8_E4M3"] = (1, null),
        ["F8_E5M2"] = (1, null),
        ["F8_E8M0"] = (1, null),
        ["U16"] = (2, null),
        ["U32"] = (4, null),
        ["U64"] = (8, null),
        ["C64"] = (8, null),
    };

    /// <summary>The names accepted in a header, for error messages.</summary>
    public static string KnownNames => string.Join(", ", Known.Keys);

    /// <summary>Element size in bytes, or false for a name the format does not define.</summary>
    public static bool TryGetSize(string name, out int size)
    {
        var found = Known.TryGetValue(name, out var entry);
        size = entry.Size;
        return found;
    }

    /// <summary>The TorchSharp type of a header dtype, or null when TorchSharp has none.</summary>
    public static ScalarType? ToScalarType(string name) => Known.TryGetValue(name, out var entry) ? entry.Type : null;

    /// <summary>The header name of a TorchSharp type.</summary>
    /// <exception cref="NotSupportedException">The type has no safetensors name (complex, quantized).</exception>
    public static string FromScalarType(ScalarType type)
    {
        foreach (var (name, entry) in Known)
        {
            if (entry.Type == type)
            {
                return name;
            }
        }

        throw new NotSupportedException($"tensors of type {type} cannot be written to safetensors");
    }
}
