using System.Text.Json;

namespace LLMDistill.Teachers.OpenAi;

/// <summary>Field access on server JSON that fails with a <see cref="JsonException"/> naming the field, never a KeyNotFoundException.</summary>
internal static class JsonFields
{
    /// <summary>The property <paramref name="name"/>; throws when it is missing or null.</summary>
    public static JsonElement Require(JsonElement parent, string name)
        => parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : throw new JsonException($"'{name}' is missing");

    /// <summary>A required string property.</summary>
    public static string RequireString(JsonElement parent, string name)
    {
        var value = Require(parent, name);
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new JsonException($"'{name}' is not a string");
    }

    /// <summary>A required number property.</summary>
    public static double RequireDouble(JsonElement parent, string name)
    {
        var value = Require(parent, name);
        return value.ValueKind == JsonValueKind.Number ? value.GetDouble() : throw new JsonException($"'{name}' is not a number");
    }

    /// <summary>An optional string property (null when missing, null or not a string).</summary>
    public static string? OptionalString(JsonElement parent, string name)
        => parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>An optional property (default when missing or null).</summary>
    public static JsonElement Optional(JsonElement parent, string name)
        => parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : default;

    /// <summary>The <c>usage</c> object's token counts, or null when the server sent none.</summary>
    public static TokenUsage? Usage(JsonElement root)
    {
        var usage = Optional(root, "usage");
        if (usage.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var prompt = Optional(usage, "prompt_tokens");
        var completion = Optional(usage, "completion_tokens");
        return new TokenUsage(
            prompt.ValueKind == JsonValueKind.Number ? prompt.GetInt32() : 0,
            completion.ValueKind == JsonValueKind.Number ? completion.GetInt32() : 0);
    }
}
