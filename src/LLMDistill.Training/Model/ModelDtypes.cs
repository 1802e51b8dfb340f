using static TorchSharp.torch;

namespace LLMDistill.Model;

/// <summary>The weight dtypes a model can use, by the names configs and the CLI write.</summary>
public static class ModelDtypes
{
    /// <summary>What a weight-dtype setting accepts, for <c>[RegularExpression]</c> on options: float32, bfloat16 or float16 (or fp32, bf16, fp16), in any case.</summary>
    public const string SettingPattern = "^(?i:float32|fp32|bfloat16|bf16|float16|fp16)$";

    /// <summary>The validation message for a value outside <see cref="SettingPattern"/>.</summary>
    public const string SettingError = "must be float32, bfloat16 or float16";

    /// <summary>Parses <c>float32</c>/<c>fp32</c>, <c>bfloat16</c>/<c>bf16</c> or <c>float16</c>/<c>fp16</c>/<c>half</c>.</summary>
    /// <param name="name">The name (case-insensitive).</param>
    /// <returns>The scalar type.</returns>
    /// <exception cref="ArgumentException">Any other name; the message lists the accepted ones.</exception>
    public static ScalarType Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToUpperInvariant() switch
        {
            "FLOAT32" or "FP32" or "F32" or "FLOAT" => ScalarType.Float32,
            "BFLOAT16" or "BF16" => ScalarType.BFloat16,
            "FLOAT16" or "FP16" or "F16" or "HALF" => ScalarType.Float16,
            _ => throw new ArgumentException($"dtype '{name}' is not supported (use float32, bfloat16 or float16)", nameof(name)),
        };
    }

    /// <summary>The Hugging Face <c>torch_dtype</c> name of a weight dtype.</summary>
    /// <exception cref="ArgumentException">Not a weight dtype.</exception>
    public static string Name(ScalarType type) => type switch
    {
        ScalarType.Float32 => "float32",
        ScalarType.BFloat16 => "bfloat16",
        ScalarType.Float16 => "float16",
        _ => throw new ArgumentException($"{type} is not a model weight dtype", nameof(type)),
    };
}
