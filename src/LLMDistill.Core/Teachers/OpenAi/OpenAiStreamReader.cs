using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace LLMDistill.Teachers.OpenAi;

/// <summary>
/// Turns a server-sent-event stream of chat or completion chunks into <see cref="TeacherStreamDelta"/>s. A chunk
/// carrying several tokens' logprobs becomes one delta with the chunk's text and the first logprob, followed by
/// deltas with empty text and the remaining logprobs, so concatenated text is exactly the answer and every token's
/// logprob is delivered. The last delta carries the finish reason and usage (estimated when the server sent none).
/// </summary>
internal static class OpenAiStreamReader
{
    private const string DataField = "data:";
    private const string Done = "[DONE]";

    /// <summary>Reads deltas from <paramref name="stream"/>.</summary>
    /// <param name="stream">The response body.</param>
    /// <param name="route">Chat or completion chunks.</param>
    /// <param name="request">The request, for the usage estimate.</param>
    /// <param name="cancellationToken">Cancels reading.</param>
    /// <exception cref="JsonException">A chunk is not valid JSON or lacks required fields.</exception>
    public static async IAsyncEnumerable<TeacherStreamDelta> ReadAsync(
        Stream stream, OpenAiRoute route, TeacherRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? finishReason = null;
        TokenUsage? usage = null;
        var completionTokens = 0;
        await foreach (var data in ReadEventsAsync(stream, cancellationToken))
        {
            var chunk = ReadChunk(data, route, request.TopLogprobs);
            usage = chunk.Usage ?? usage;
            finishReason = chunk.FinishReason ?? finishReason;
            completionTokens += chunk.Logprobs?.Count ?? TokenEstimator.Estimate(chunk.Text);
            if (chunk.Logprobs is { Count: > 0 } logprobs)
            {
                yield return new TeacherStreamDelta(chunk.Text, logprobs[0], null, null);
                for (var i = 1; i < logprobs.Count; i++)
                {
                    yield return new TeacherStreamDelta("", logprobs[i], null, null);
                }
            }
            else if (chunk.Text.Length > 0)
            {
                yield return new TeacherStreamDelta(chunk.Text, null, null, null);
            }
        }

        var final = usage ?? new TokenUsage(TokenEstimator.PromptTokens(request), completionTokens);
        yield return new TeacherStreamDelta("", null, finishReason ?? "stop", final);
    }

    /// <summary>The <c>data</c> payloads of a server-sent-event stream, up to <c>[DONE]</c>.</summary>
    internal static async IAsyncEnumerable<string> ReadEventsAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length > 0)
                {
                    var payload = data.ToString();
                    data.Clear();
                    if (payload == Done)
                    {
                        yield break;
                    }

                    yield return payload;
                }

                continue;
            }

            if (line.StartsWith(DataField, StringComparison.Ordinal))
            {
                // Multiple data lines of one event join with newlines; one optional space follows the colon.
                var value = line.AsSpan(DataField.Length);
                if (value.Length > 0 && value[0] == ' ')
                {
                    value = value[1..];
                }

                if (data.Length > 0)
                {
                    data.Append('\n');
                }

                data.Append(value);
            }

            // Comments (":"), "event:", "id:" and "retry:" lines carry nothing we use.
        }

        if (data.Length > 0 && data.ToString() != Done)
        {
            yield return data.ToString();
        }
    }

    private static Chunk ReadChunk(string data, OpenAiRoute route, int topLogprobs)
    {
        using var document = JsonDocument.Parse(data);
        var root = document.RootElement;
        if (JsonFields.Optional(root, "error") is { ValueKind: JsonValueKind.Object } error)
        {
            throw new JsonException($"the stream carried an error: {JsonFields.OptionalString(error, "message") ?? error.GetRawText()}");
        }

        var usage = JsonFields.Usage(root);
        var choices = JsonFields.Optional(root, "choices");
        if (choices.ValueKind != JsonValueKind.Array || choices.GetArrayLength() == 0)
        {
            return new Chunk("", null, null, usage); // the usage-only chunk of stream_options.include_usage
        }

        var choice = choices[0];
        var finish = JsonFields.OptionalString(choice, "finish_reason");
        if (route == OpenAiRoute.Chat)
        {
            var delta = JsonFields.Optional(choice, "delta");
            var text = JsonFields.OptionalString(delta, "content") ?? "";
            return new Chunk(text, OpenAiLogprobsReader.ReadChat(JsonFields.Optional(choice, "logprobs")), finish, usage);
        }

        var legacy = OpenAiLogprobsReader.ReadLegacy(JsonFields.Optional(choice, "logprobs"), topLogprobs);
        return new Chunk(JsonFields.OptionalString(choice, "text") ?? "", legacy?.Tokens, finish, usage);
    }

    private sealed record Chunk(string Text, IReadOnlyList<TokenLogprob>? Logprobs, string? FinishReason, TokenUsage? Usage);
}
