using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LLMDistill.Tests.Fixtures.OpenAiServer;

/// <summary>
/// Builds well-formed OpenAI responses for a request, the way vLLM would: chat and legacy completions, n choices,
/// top-k logprobs (chat: token/logprob/bytes/top_logprobs; legacy: parallel arrays with text_offset), echo scoring,
/// and server-sent event streams with a usage chunk. Tokens are whitespace-led words; logprobs are deterministic.
/// </summary>
public static partial class FakeOpenAiResponses
{
    /// <summary>Splits text into tokens: each word with its leading whitespace.</summary>
    public static IReadOnlyList<string> Tokenize(string text) => Word().Matches(text).Select(m => m.Value).ToList();

    /// <summary>The logprob the fake gives the token at <paramref name="position"/>.</summary>
    public static double LogprobAt(int position) => -0.125 * (position + 1);

    /// <summary>The text of choice <paramref name="index"/> when the answer is <paramref name="text"/>.</summary>
    public static string ChoiceText(string text, int index) => index == 0 ? text : $"{text} #{index}";

    /// <summary>An OpenAI-style error body.</summary>
    public static string ErrorBody(string message, string? code)
        => new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = "invalid_request_error", ["code"] = code } }.ToJsonString();

    /// <summary>A complete reply (body or events) answering <paramref name="request"/> with <paramref name="text"/>.</summary>
    public static ScriptedReply For(RecordedRequest request, string text)
    {
        ArgumentNullException.ThrowIfNull(request);
        var model = request.StringField("model") ?? "fake-model";
        var k = request.IsChat ? (request.BoolField("logprobs") ? request.IntField("top_logprobs") ?? 0 : -1) : request.IntField("logprobs") ?? -1;
        var n = request.IntField("n") ?? 1;
        var promptTokens = PromptTokens(request);
        if (request.IsCompletion && request.IsEcho)
        {
            return new ScriptedReply { Body = Echo(model, request.StringField("prompt") ?? "", Math.Max(k, 0)) };
        }

        if (request.IsStream)
        {
            return new ScriptedReply { Events = Stream(request.IsChat, model, text, k, promptTokens), ContentType = "text/event-stream" };
        }

        var choices = new JsonArray();
        var completionTokens = 0;
        for (var i = 0; i < n; i++)
        {
            var choiceText = ChoiceText(text, i);
            var tokens = Tokenize(choiceText);
            completionTokens += tokens.Count;
            choices.Add(request.IsChat
                ? new JsonObject
                {
                    ["index"] = i,
                    ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = choiceText },
                    ["logprobs"] = k >= 0 ? new JsonObject { ["content"] = ChatLogprobs(tokens, 0, k) } : null,
                    ["finish_reason"] = "stop",
                }
                : new JsonObject
                {
                    ["index"] = i,
                    ["text"] = choiceText,
                    ["logprobs"] = k >= 0 ? LegacyLogprobs(tokens, 0, k, 0, firstIsNull: false) : null,
                    ["finish_reason"] = "stop",
                });
        }

        return new ScriptedReply { Body = Envelope(request.IsChat, model, choices, promptTokens, completionTokens).ToJsonString() };
    }

    /// <summary>Chat <c>logprobs.content</c> entries for <paramref name="tokens"/> starting at <paramref name="first"/>.</summary>
    public static JsonArray ChatLogprobs(IReadOnlyList<string> tokens, int first, int k)
    {
        var content = new JsonArray();
        for (var i = 0; i < tokens.Count; i++)
        {
            var top = new JsonArray();
            foreach (var (token, logprob) in Alternatives(tokens[i], first + i, k))
            {
                top.Add(new JsonObject { ["token"] = token, ["logprob"] = logprob, ["bytes"] = Bytes(token) });
            }

            content.Add(new JsonObject { ["token"] = tokens[i], ["logprob"] = LogprobAt(first + i), ["bytes"] = Bytes(tokens[i]), ["top_logprobs"] = top });
        }

        return content;
    }

    /// <summary>A legacy <c>logprobs</c> object; vLLM-style top maps include the chosen token.</summary>
    public static JsonObject LegacyLogprobs(IReadOnlyList<string> tokens, int first, int k, int offset, bool firstIsNull)
    {
        var tokenArray = new JsonArray();
        var values = new JsonArray();
        var tops = new JsonArray();
        var offsets = new JsonArray();
        for (var i = 0; i < tokens.Count; i++)
        {
            tokenArray.Add(tokens[i]);
            var isNull = firstIsNull && i == 0;
            values.Add(isNull ? null : JsonValue.Create(LogprobAt(first + i)));
            var map = new JsonObject();
            if (!isNull)
            {
                map[tokens[i]] = LogprobAt(first + i);
                foreach (var (token, logprob) in Alternatives(tokens[i], first + i, k))
                {
                    map[token] = logprob;
                }
            }

            tops.Add(isNull ? null : map);
            offsets.Add(offset);
            offset += tokens[i].EnumerateRunes().Count();
        }

        return new JsonObject { ["tokens"] = tokenArray, ["token_logprobs"] = values, ["top_logprobs"] = tops, ["text_offset"] = offsets };
    }

    private static string Echo(string model, string prompt, int k)
    {
        var tokens = Tokenize(prompt).Append(" next").ToList();
        var logprobs = LegacyLogprobs(tokens, 0, k, 0, firstIsNull: true);
        var choices = new JsonArray
        {
            new JsonObject { ["index"] = 0, ["text"] = prompt + " next", ["logprobs"] = logprobs, ["finish_reason"] = "length" },
        };
        return Envelope(false, model, choices, tokens.Count - 1, 1).ToJsonString();
    }

    private static List<string> Stream(bool chat, string model, string text, int k, int promptTokens)
    {
        var events = new List<string>();
        var tokens = Tokenize(text);
        if (chat)
        {
            events.Add(Chunk(true, model, new JsonObject { ["index"] = 0, ["delta"] = new JsonObject { ["role"] = "assistant", ["content"] = "" }, ["finish_reason"] = null }));
        }

        for (var i = 0; i < tokens.Count; i++)
        {
            var single = new[] { tokens[i] };
            events.Add(Chunk(chat, model, chat
                ? new JsonObject
                {
                    ["index"] = 0,
                    ["delta"] = new JsonObject { ["content"] = tokens[i] },
                    ["logprobs"] = k >= 0 ? new JsonObject { ["content"] = ChatLogprobs(single, i, k) } : null,
                    ["finish_reason"] = null,
                }
                : new JsonObject
                {
                    ["index"] = 0,
                    ["text"] = tokens[i],
                    ["logprobs"] = k >= 0 ? LegacyLogprobs(single, i, k, 0, false) : null,
                    ["finish_reason"] = null,
                }));
        }

        var finish = chat
            ? new JsonObject { ["index"] = 0, ["delta"] = new JsonObject(), ["finish_reason"] = "stop" }
            : new JsonObject { ["index"] = 0, ["text"] = "", ["finish_reason"] = "stop" };
        events.Add(Chunk(chat, model, finish));
        var usage = new JsonObject
        {
            ["object"] = chat ? "chat.completion.chunk" : "text_completion",
            ["model"] = model,
            ["choices"] = new JsonArray(),
            ["usage"] = Usage(promptTokens, tokens.Count),
        };
        events.Add(usage.ToJsonString());
        return events;
    }

    private static string Chunk(bool chat, string model, JsonObject choice) => new JsonObject
    {
        ["id"] = "chunk-1",
        ["object"] = chat ? "chat.completion.chunk" : "text_completion",
        ["model"] = model,
        ["choices"] = new JsonArray { choice },
    }.ToJsonString();

    private static JsonObject Envelope(bool chat, string model, JsonArray choices, int promptTokens, int completionTokens) => new()
    {
        ["id"] = chat ? "chatcmpl-1" : "cmpl-1",
        ["object"] = chat ? "chat.completion" : "text_completion",
        ["created"] = 1_700_000_000,
        ["model"] = model,
        ["choices"] = choices,
        ["usage"] = Usage(promptTokens, completionTokens),
    };

    private static JsonObject Usage(int prompt, int completion)
        => new() { ["prompt_tokens"] = prompt, ["completion_tokens"] = completion, ["total_tokens"] = prompt + completion };

    private static IEnumerable<(string Token, double Logprob)> Alternatives(string token, int position, int k)
    {
        for (var j = 0; j < k; j++)
        {
            yield return j == 0 ? (token, LogprobAt(position)) : ($"{token.Trim()}~{j}", LogprobAt(position) - j);
        }
    }

    private static JsonArray Bytes(string token) => new(Encoding.UTF8.GetBytes(token).Select(b => (JsonNode)JsonValue.Create((int)b)).ToArray());

    private static int PromptTokens(RecordedRequest request)
    {
        if (request.Json.ValueKind == JsonValueKind.Object && request.Json.TryGetProperty("messages", out var messages))
        {
            return messages.EnumerateArray().Sum(m => Tokenize(m.GetProperty("content").GetString() ?? "").Count + 4);
        }

        return Tokenize(request.StringField("prompt") ?? "").Count;
    }

    [GeneratedRegex(@"\s*\S+")]
    private static partial Regex Word();
}
