using System.Text;
using System.Text.Json;
using LLMDistill.Teachers;

namespace LLMDistill.Cli.Serving;

/// <summary>A parsed <c>/v1/chat/completions</c> request.</summary>
/// <param name="Model">The model asked for.</param>
/// <param name="Messages">The conversation (content parts joined; <c>developer</c> is read as <c>system</c>).</param>
/// <param name="MaxTokens"><c>max_completion_tokens</c> or <c>max_tokens</c>; null = the rest of the context.</param>
/// <param name="Logprobs">Whether to return logprobs.</param>
/// <param name="TopLogprobs">Alternatives per position (needs <paramref name="Logprobs"/>).</param>
/// <param name="Sampling">Shared sampling fields.</param>
internal sealed record ChatRequest(string Model, IReadOnlyList<ChatTurn> Messages, int? MaxTokens, bool Logprobs, int TopLogprobs, SamplingFields Sampling)
{
    public static ChatRequest Parse(JsonElement root, int maxTopLogprobs)
    {
        var fields = new RequestFields(root);
        fields.Unsupported("tools", RequestFields.NonEmpty, "tool calls are not implemented");
        fields.Unsupported("functions", RequestFields.NonEmpty, "function calls are not implemented");
        fields.Unsupported("response_format", v => new RequestFields(v).Get("type") is { } type && type.GetString() != "text", "structured output is not implemented");
        var model = fields.RequireString("model");
        var messages = ReadMessages(fields.Get("messages") ?? throw OpenAiError.Invalid("'messages' is required", "messages"));
        var maxTokens = fields.Int("max_completion_tokens", 1, int.MaxValue) ?? fields.Int("max_tokens", 1, int.MaxValue);
        var logprobs = fields.Bool("logprobs", false);
        var top = fields.Int("top_logprobs", 0, maxTopLogprobs) ?? 0;
        if (top > 0 && !logprobs)
        {
            throw OpenAiError.Invalid("'top_logprobs' needs 'logprobs' set to true", "top_logprobs");
        }

        return new ChatRequest(model, messages, maxTokens, logprobs, top, SamplingFields.Read(fields));
    }

    private static List<ChatTurn> ReadMessages(JsonElement messages)
    {
        if (messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
        {
            throw OpenAiError.Invalid("'messages' must be a non-empty list", "messages");
        }

        var turns = new List<ChatTurn>();
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var param = $"messages[{index++}]";
            if (message.ValueKind != JsonValueKind.Object)
            {
                throw OpenAiError.Invalid($"'{param}' must be an object", param);
            }

            var fields = new RequestFields(message);
            var role = fields.Get("role") is { ValueKind: JsonValueKind.String } r ? r.GetString()! : throw OpenAiError.Invalid($"'{param}.role' is required", $"{param}.role");
            role = role switch
            {
                "system" or "user" or "assistant" => role,
                "developer" => "system",
                _ => throw OpenAiError.Invalid($"'{param}.role' must be system, developer, user or assistant (got '{role}')", $"{param}.role"),
            };
            turns.Add(new ChatTurn(role, Content(fields.Get("content"), $"{param}.content", role)));
        }

        return turns;
    }

    /// <summary>A string, or a list of parts of which only text parts are supported.</summary>
    private static string Content(JsonElement? content, string param, string role)
    {
        switch (content)
        {
            case null when role == "assistant":
                return "";
            case { ValueKind: JsonValueKind.String } text:
                return text.GetString()!;
            case { ValueKind: JsonValueKind.Array } parts:
                var joined = new StringBuilder();
                foreach (var part in parts.EnumerateArray())
                {
                    var fields = new RequestFields(part);
                    if (fields.Get("type")?.GetString() != "text")
                    {
                        throw OpenAiError.Invalid($"'{param}': only text content parts are supported", param);
                    }

                    joined.Append(fields.RequireString("text"));
                }

                return joined.ToString();
            default:
                throw OpenAiError.Invalid($"'{param}' must be a string or a list of text parts", param);
        }
    }
}
