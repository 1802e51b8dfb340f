namespace LLMDistill.Tokenization;

/// <summary>
/// Finds added/special tokens in text, leftmost first and longest at a position (as Hugging Face tokenizers'
/// Aho-Corasick matcher does), and cuts the text into plain segments and those tokens. Immutable, thread-safe.
/// </summary>
internal sealed class AddedTokenMatcher
{
    private readonly Dictionary<char, AddedToken[]> _byFirstChar;

    public AddedTokenMatcher(IEnumerable<AddedToken> tokens)
    {
        _byFirstChar = tokens
            .Where(t => t.Content.Length > 0)
            .GroupBy(t => t.Content[0])
            .ToDictionary(g => g.Key, g => g.OrderByDescending(t => t.Content.Length).ToArray());
    }

    /// <summary>True when no token can match.</summary>
    public bool IsEmpty => _byFirstChar.Count == 0;

    /// <summary>Cuts <paramref name="text"/> into plain segments and matched tokens, appended in order to <paramref name="parts"/>.</summary>
    public void Split(string text, List<TextPart> parts)
    {
        var segmentStart = 0;
        var i = 0;
        while (i < text.Length)
        {
            var token = _byFirstChar.Count == 0 ? null : MatchAt(text, i);
            if (token is null)
            {
                i++;
                continue;
            }

            var segmentEnd = i;
            if (token.LStrip)
            {
                while (segmentEnd > segmentStart && char.IsWhiteSpace(text[segmentEnd - 1]))
                {
                    segmentEnd--;
                }
            }

            if (segmentEnd > segmentStart)
            {
                parts.Add(new TextPart(text.AsMemory(segmentStart, segmentEnd - segmentStart), null));
            }

            parts.Add(new TextPart(ReadOnlyMemory<char>.Empty, token));
            i += token.Content.Length;
            if (token.RStrip)
            {
                while (i < text.Length && char.IsWhiteSpace(text[i]))
                {
                    i++;
                }
            }

            segmentStart = i;
        }

        if (segmentStart < text.Length)
        {
            parts.Add(new TextPart(text.AsMemory(segmentStart), null));
        }
    }

    private AddedToken? MatchAt(string text, int index)
    {
        if (!_byFirstChar.TryGetValue(text[index], out var candidates))
        {
            return null;
        }

        var rest = text.AsSpan(index);
        foreach (var candidate in candidates)
        {
            if (rest.StartsWith(candidate.Content, StringComparison.Ordinal))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>A plain text segment (<see cref="Token"/> null) or a matched token.</summary>
    public readonly record struct TextPart(ReadOnlyMemory<char> Text, AddedToken? Token);
}
