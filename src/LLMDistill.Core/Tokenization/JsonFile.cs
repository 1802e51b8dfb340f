using System.Text.Json;

namespace LLMDistill.Tokenization;

/// <summary>Reads the JSON files of a model directory with errors that name the file, the line and the JSON path.</summary>
internal static class JsonFile
{
    private static readonly JsonDocumentOptions Options = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 256 };

    /// <summary>Parses <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not valid JSON (the message names the file and line).</exception>
    public static JsonDocument Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: file not found", path);
        }

        try
        {
            using var stream = File.OpenRead(path);
            return JsonDocument.Parse(stream, Options);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: malformed JSON at line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}: {FirstSentence(ex.Message)}", ex);
        }
    }

    /// <summary>Parses <paramref name="path"/> when it exists.</summary>
    public static JsonDocument? ReadOptional(string path) => File.Exists(path) ? Read(path) : null;

    /// <summary>The property <paramref name="name"/> of an object, or null when absent or JSON null.</summary>
    public static JsonElement? Get(JsonElement element, string name)
        => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    /// <summary>A string property, or null when absent; a value of another kind is an error naming <paramref name="jsonPath"/>.</summary>
    public static string? GetString(JsonElement element, string name, string file, string jsonPath)
    {
        var value = Get(element, name);
        return value is null ? null
            : value.Value.ValueKind == JsonValueKind.String ? value.Value.GetString()
            : throw Error(file, $"{jsonPath}.{name}", $"expected a string, found {Kind(value.Value)}");
    }

    /// <summary>A boolean property, or <paramref name="fallback"/> when absent.</summary>
    public static bool GetBool(JsonElement element, string name, bool fallback, string file, string jsonPath)
    {
        var value = Get(element, name);
        return value is null ? fallback
            : value.Value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.Value.GetBoolean()
            : throw Error(file, $"{jsonPath}.{name}", $"expected true or false, found {Kind(value.Value)}");
    }

    /// <summary>An integer value; anything else is an error naming <paramref name="jsonPath"/>.</summary>
    public static int GetInt(JsonElement value, string file, string jsonPath)
        => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var i) ? i
            : throw Error(file, jsonPath, $"expected an integer, found {Kind(value)}");

    /// <summary>An error about one value of a file.</summary>
    public static InvalidDataException Error(string file, string jsonPath, string message) => new($"{file}: {jsonPath}: {message}");

    /// <summary>The JSON kind of a value, for error messages.</summary>
    public static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string \"{Truncate(value.GetString()!)}\"",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {value.GetRawText()}",
        _ => "null",
    };

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "...";

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(" LineNumber", StringComparison.Ordinal);
        return (end > 0 ? message[..end] : message).Trim();
    }
}
