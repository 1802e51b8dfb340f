using System.Text.Json;

namespace LLMDistill.Cli.Serving;

/// <summary>Typed access to the fields of a request body; a wrong type or range is a 400 naming the parameter.</summary>
internal readonly struct RequestFields(JsonElement root)
{
    public JsonElement Root => root;

    /// <summary>The field, or null when it is absent or JSON null.</summary>
    public JsonElement? Get(string name)
        => root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public string RequireString(string name)
        => Get(name) is { ValueKind: JsonValueKind.String } value ? value.GetString()!
            : throw OpenAiError.Invalid(Get(name) is null ? $"'{name}' is required" : $"'{name}' must be a string", name);

    public bool Bool(string name, bool fallback)
        => Get(name) switch
        {
            null => fallback,
            { ValueKind: JsonValueKind.True } => true,
            { ValueKind: JsonValueKind.False } => false,
            _ => throw OpenAiError.Invalid($"'{name}' must be a boolean", name),
        };

    public double Number(string name, double fallback, double min, double max, bool minExclusive = false)
    {
        if (Get(name) is not { } value)
        {
            return fallback;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number))
        {
            throw OpenAiError.Invalid($"'{name}' must be a number", name);
        }

        if (number > max || number < min || (minExclusive && number <= min))
        {
            throw OpenAiError.Invalid($"'{name}' must be {(minExclusive ? "greater than" : "at least")} {min} and at most {max} (got {number})", name);
        }

        return number;
    }

    public int? Int(string name, int min, int max)
    {
        if (Get(name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
        {
            throw OpenAiError.Invalid($"'{name}' must be an integer", name);
        }

        return number < min || number > max
            ? throw OpenAiError.Invalid($"'{name}' must be between {min} and {max} (got {number})", name)
            : (int)number;
    }

    public long? Long(string name)
    {
        if (Get(name) is not { } value)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)
            ? number
            : throw OpenAiError.Invalid($"'{name}' must be an integer", name);
    }

    /// <summary><c>stop</c>: a string or a list of non-empty strings.</summary>
    public IReadOnlyList<string>? Stop()
    {
        const string name = "stop";
        return Get(name) switch
        {
            null => null,
            { ValueKind: JsonValueKind.String } single => NonEmpty([single.GetString()!]),
            { ValueKind: JsonValueKind.Array } list => NonEmpty(list.EnumerateArray()
                .Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : throw OpenAiError.Invalid("'stop' must be a string or a list of strings", name))
                .ToArray()),
            _ => throw OpenAiError.Invalid("'stop' must be a string or a list of strings", name),
        };

        static string[] NonEmpty(string[] stops)
            => stops.Any(s => s.Length == 0) ? throw OpenAiError.Invalid("'stop' strings must not be empty", name) : stops;
    }

    /// <summary>A list of integers (e.g. vLLM's <c>stop_token_ids</c>).</summary>
    public IReadOnlyList<int>? Ints(string name)
        => Get(name) switch
        {
            null => null,
            { ValueKind: JsonValueKind.Array } list => list.EnumerateArray()
                .Select(e => e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var i) ? i : throw OpenAiError.Invalid($"'{name}' must be a list of integers", name))
                .ToArray(),
            _ => throw OpenAiError.Invalid($"'{name}' must be a list of integers", name),
        };

    /// <summary>Rejects a feature this server does not implement when the request actually uses it.</summary>
    public void Unsupported(string name, Func<JsonElement, bool> isUsed, string why)
    {
        if (Get(name) is { } value && isUsed(value))
        {
            throw OpenAiError.Invalid($"'{name}' is not supported by this server: {why}", name);
        }
    }

    public static bool NonZero(JsonElement value) => value.ValueKind != JsonValueKind.Number || value.GetDouble() != 0;

    public static bool NonEmpty(JsonElement value)
        => value.ValueKind switch
        {
            JsonValueKind.Object => value.EnumerateObject().Any(),
            JsonValueKind.Array => value.GetArrayLength() > 0,
            JsonValueKind.String => value.GetString()!.Length > 0,
            _ => true,
        };
}
