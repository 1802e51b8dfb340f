using System.Text.Json;
using LLMDistill.Teachers;

namespace LLMDistill.Cli.Serving;

/// <summary>
/// Writes logprobs in the two OpenAI formats. Chat: <c>{"content":[{"token","logprob","bytes","top_logprobs":[...]}],"refusal":null}</c>.
/// Completions (legacy): parallel arrays <c>tokens</c>, <c>token_logprobs</c>, <c>top_logprobs</c> (token → logprob maps)
/// and <c>text_offset</c> (code points); a position without a logprob (the first echoed token) has nulls.
/// </summary>
internal static class LogprobsJson
{
    // JSON has no -Infinity; OpenAI writes -9999.0 for tokens the model rules out.
    private const double Floor = -9999.0;

    public static void WriteChat(Utf8JsonWriter writer, IReadOnlyList<TokenLogprob> tokens)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("content");
        foreach (var token in tokens)
        {
            writer.WriteStartObject();
            WriteTokenFields(writer, token.Token, token.Bytes, token.Logprob);
            writer.WriteStartArray("top_logprobs");
            foreach (var alternative in token.Top)
            {
                writer.WriteStartObject();
                WriteTokenFields(writer, alternative.Token, alternative.Bytes, alternative.Logprob);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteNull("refusal");
        writer.WriteEndObject();
    }

    public static void WriteLegacy(Utf8JsonWriter writer, IReadOnlyList<TokenLogprob> tokens, IReadOnlyList<int> textOffsets)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("tokens");
        foreach (var token in tokens)
        {
            writer.WriteStringValue(token.Token);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("token_logprobs");
        foreach (var token in tokens)
        {
            WriteLogprobValue(writer, token.Logprob);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("top_logprobs");
        foreach (var token in tokens)
        {
            if (double.IsNaN(token.Logprob))
            {
                writer.WriteNullValue();
                continue;
            }

            writer.WriteStartObject();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var alternative in token.Top.Where(a => seen.Add(a.Token))) // a map: two ids with the same text keep the likelier
            {
                writer.WritePropertyName(alternative.Token);
                WriteLogprobValue(writer, alternative.Logprob);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("text_offset");
        foreach (var offset in textOffsets)
        {
            writer.WriteNumberValue(offset);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteTokenFields(Utf8JsonWriter writer, string token, IReadOnlyList<byte>? bytes, double logprob)
    {
        writer.WriteString("token", token);
        writer.WritePropertyName("logprob");
        WriteLogprobValue(writer, logprob);
        writer.WriteStartArray("bytes");
        foreach (var b in bytes ?? [])
        {
            writer.WriteNumberValue(b);
        }

        writer.WriteEndArray();
    }

    private static void WriteLogprobValue(Utf8JsonWriter writer, double logprob)
    {
        if (double.IsNaN(logprob))
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteNumberValue(double.IsNegativeInfinity(logprob) ? Floor : logprob);
        }
    }
}
