using System.Globalization;
using System.Text;
using System.Text.Json;

namespace LLMDistill.Teachers.OpenAi;

/// <summary>
/// Reads the two logprob formats of OpenAI-compatible APIs into <see cref="TokenLogprob"/> records: chat's
/// <c>logprobs.content[]</c> (token, logprob, bytes, top_logprobs[]) and the legacy completions object of parallel
/// arrays (tokens, token_logprobs, top_logprobs as token→logprob maps, text_offset).
/// </summary>
internal static class OpenAiLogprobsReader
{
    private const string BytesPrefix = "bytes:";

    /// <summary>Reads chat <c>logprobs</c> (the object holding <c>content</c>); null when absent.</summary>
    public static IReadOnlyList<TokenLogprob>? ReadChat(JsonElement logprobs)
    {
        if (logprobs.ValueKind != JsonValueKind.Object
            || !logprobs.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var tokens = new List<TokenLogprob>(content.GetArrayLength());
        foreach (var entry in content.EnumerateArray())
        {
            var top = new List<TopLogprob>();
            if (entry.TryGetProperty("top_logprobs", out var alternatives) && alternatives.ValueKind == JsonValueKind.Array)
            {
                foreach (var alternative in alternatives.EnumerateArray())
                {
                    var text = JsonFields.RequireString(alternative, "token");
                    top.Add(new TopLogprob(text, ChatBytes(alternative, text), JsonFields.RequireDouble(alternative, "logprob")));
                }
            }

            var token = JsonFields.RequireString(entry, "token");
            tokens.Add(new TokenLogprob(token, ChatBytes(entry, token), JsonFields.RequireDouble(entry, "logprob"), top));
        }

        return tokens;
    }

    /// <summary>Reads legacy completions <c>logprobs</c>; null when absent. Positions without a logprob (the first prompt token under echo) get NaN.</summary>
    /// <param name="logprobs">The <c>logprobs</c> object of a choice.</param>
    /// <param name="topLogprobs">Alternatives to keep per position, best first (vLLM adds the chosen token to the map).</param>
    public static LegacyLogprobs? ReadLegacy(JsonElement logprobs, int topLogprobs)
    {
        if (logprobs.ValueKind != JsonValueKind.Object
            || !logprobs.TryGetProperty("tokens", out var tokens) || tokens.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var count = tokens.GetArrayLength();
        var values = OptionalArray(logprobs, "token_logprobs", count);
        var tops = OptionalArray(logprobs, "top_logprobs", count);
        var offsets = OptionalArray(logprobs, "text_offset", count);
        var result = new List<TokenLogprob>(count);
        var textOffsets = offsets is null ? null : new int[count];
        for (var i = 0; i < count; i++)
        {
            var token = tokens[i].GetString() ?? throw new JsonException($"logprobs.tokens[{i}] is not a string");
            var value = values is null || values[i].ValueKind == JsonValueKind.Null ? double.NaN : values[i].GetDouble();
            var top = tops is null ? [] : ReadLegacyTop(tops[i], topLogprobs);
            result.Add(new TokenLogprob(token, LegacyBytes(token), value, top));
            if (textOffsets is not null)
            {
                textOffsets[i] = offsets![i].GetInt32();
            }
        }

        return new LegacyLogprobs(result, textOffsets);
    }

    /// <summary>
    /// The bytes of a legacy token: OpenAI and vLLM write tokens that are not whole UTF-8 characters as
    /// <c>bytes:\xe2\x80</c>; every other token is its own UTF-8 encoding.
    /// </summary>
    public static byte[] LegacyBytes(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (!token.StartsWith(BytesPrefix, StringComparison.Ordinal))
        {
            return Encoding.UTF8.GetBytes(token);
        }

        var bytes = new List<byte>();
        var rest = token.AsSpan(BytesPrefix.Length);
        while (rest.Length >= 4 && rest[0] == '\\' && rest[1] == 'x'
            && byte.TryParse(rest.Slice(2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b))
        {
            bytes.Add(b);
            rest = rest[4..];
        }

        return rest.IsEmpty ? [.. bytes] : Encoding.UTF8.GetBytes(token);
    }

    private static List<TopLogprob> ReadLegacyTop(JsonElement map, int keep)
    {
        if (map.ValueKind != JsonValueKind.Object || keep <= 0)
        {
            return [];
        }

        return map.EnumerateObject()
            .Select(p => new TopLogprob(p.Name, LegacyBytes(p.Name), p.Value.GetDouble()))
            .OrderByDescending(t => t.Logprob)
            .Take(keep)
            .ToList();
    }

    private static byte[]? ChatBytes(JsonElement entry, string token)
    {
        if (!entry.TryGetProperty("bytes", out var bytes) || bytes.ValueKind != JsonValueKind.Array)
        {
            // Some servers omit bytes; the token's own UTF-8 is then the best available.
            return Encoding.UTF8.GetBytes(token);
        }

        var result = new byte[bytes.GetArrayLength()];
        var i = 0;
        foreach (var b in bytes.EnumerateArray())
        {
            result[i++] = b.GetByte();
        }

        return result;
    }

    private static JsonElement[]? OptionalArray(JsonElement parent, string name, int expected)
    {
        if (!parent.TryGetProperty(name, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var items = array.EnumerateArray().ToArray();
        return items.Length == expected
            ? items
            : throw new JsonException($"logprobs.{name} has {items.Length} entries but logprobs.tokens has {expected}");
    }
}

/// <summary>Legacy logprobs of one choice, with the character offsets (Unicode code points) of each token where given.</summary>
internal sealed record LegacyLogprobs(IReadOnlyList<TokenLogprob> Tokens, IReadOnlyList<int>? TextOffsets);
