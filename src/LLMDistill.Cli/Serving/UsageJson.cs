using System.Text.Json;

namespace LLMDistill.Cli.Serving;

/// <summary>Writes OpenAI's <c>usage</c> object.</summary>
internal static class UsageJson
{
    public static void Write(Utf8JsonWriter writer, int promptTokens, int completionTokens)
    {
        writer.WriteStartObject("usage");
        writer.WriteNumber("prompt_tokens", promptTokens);
        writer.WriteNumber("completion_tokens", completionTokens);
        writer.WriteNumber("total_tokens", promptTokens + completionTokens);
        writer.WriteEndObject();
    }
}
