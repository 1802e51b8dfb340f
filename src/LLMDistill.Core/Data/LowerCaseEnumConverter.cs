using System.Text.Json;
using System.Text.Json.Serialization;

namespace LLMDistill.Data;

/// <summary>Writes enum values as lower-case strings (<c>chat</c>, <c>completion</c>); reads them case-insensitively.</summary>
/// <typeparam name="TEnum">The enum type.</typeparam>
internal sealed class LowerCaseEnumConverter<TEnum> : JsonStringEnumConverter<TEnum>
    where TEnum : struct, Enum
{
    public LowerCaseEnumConverter()
        : base(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false)
    {
    }
}
