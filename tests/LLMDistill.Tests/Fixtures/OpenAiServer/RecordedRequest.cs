using System.Text.Json;

namespace LLMDistill.Tests.Fixtures.OpenAiServer;

/// <summary>One request the scripted server received.</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Path, e.g. <c>/v1/chat/completions</c> or <c>/openai/deployments/d/completions</c>.</param>
/// <param name="Query">Query string including <c>?</c>, or empty.</param>
/// <param name="Headers">Request headers (case-insensitive names).</param>
/// <param name="Body">The raw body.</param>
/// <param name="ReceivedAt">When it arrived (wall clock).</param>
public sealed record RecordedRequest(
    string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body, DateTimeOffset ReceivedAt)
{
    private JsonElement? _json;

    /// <summary>The body parsed as JSON (an undefined element when it is not JSON).</summary>
    public JsonElement Json => _json ??= Parse(Body);

    /// <summary>True for chat completions.</summary>
    public bool IsChat => Path.EndsWith("/chat/completions", StringComparison.Ordinal);

    /// <summary>True for legacy completions.</summary>
    public bool IsCompletion => !IsChat && Path.EndsWith("/completions", StringComparison.Ordinal);

    /// <summary>True when the body asks for a stream.</summary>
    public bool IsStream => BoolField("stream");

    /// <summary>True when the body asks to echo the prompt (scoring).</summary>
    public bool IsEcho => BoolField("echo");

    /// <summary>The header value, or null.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>A top-level integer of the body, or null.</summary>
    public int? IntField(string name)
        => Json.ValueKind == JsonValueKind.Object && Json.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;

    /// <summary>A top-level string of the body, or null.</summary>
    public string? StringField(string name)
        => Json.ValueKind == JsonValueKind.Object && Json.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>A top-level boolean of the body (false when absent).</summary>
    public bool BoolField(string name)
        => Json.ValueKind == JsonValueKind.Object && Json.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    private static JsonElement Parse(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return default;
        }
    }
}
