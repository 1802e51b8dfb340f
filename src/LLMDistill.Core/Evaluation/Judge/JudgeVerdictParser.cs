using System.Text.Json;
using System.Text.RegularExpressions;

namespace LLMDistill.Evaluation.Judge;

/// <summary>
/// Reads a verdict from a judge's reply: structured output (<c>{"winner": "A"}</c>, only the top-level key counts),
/// otherwise free text, where it looks in this order for the last MT-Bench marker (<c>[[A]]</c>, <c>[[B]]</c>,
/// <c>[[C]]</c>/<c>[[tie]]</c>), the last JSON object with a <c>winner</c> key, the last "winner/verdict: X" phrase,
/// and finally a reply that is only "A", "B" or "tie". Injection defence: judged texts that themselves look like
/// verdicts are cut out of the reply wherever the judge echoed them whole, and a remaining candidate that occurs
/// verbatim inside a judged text is used only when the reply offers no other, so an answer containing
/// <c>{"winner": "B"}</c> cannot decide its own comparison.
/// </summary>
public static partial class JudgeVerdictParser
{
    /// <summary>Parses a reply.</summary>
    /// <param name="reply">The judge's text.</param>
    /// <param name="quotedTexts">The judged texts (task and answers): verdict-like text copied from them does not count.</param>
    /// <returns>The verdict, or null when the reply holds none.</returns>
    public static JudgeVerdict? Parse(string reply, IReadOnlyList<string> quotedTexts)
    {
        ArgumentNullException.ThrowIfNull(reply);
        ArgumentNullException.ThrowIfNull(quotedTexts);
        var text = StripCodeFence(reply.Trim());
        if (TryParseJsonObject(text, out var structured))
        {
            return structured;
        }

        // Whole judged texts the judge echoed are cut out first; verdict-like fragments of them that remain are
        // used only when the reply holds no other verdict.
        foreach (var quoted in quotedTexts.Where(LooksLikeVerdict).OrderByDescending(q => q.Length))
        {
            text = text.Replace(quoted.Trim(), " ", StringComparison.Ordinal);
        }

        bool Quoted(string candidate) => quotedTexts.Any(q => q.Contains(candidate, StringComparison.OrdinalIgnoreCase));

        foreach (var allowQuoted in new[] { false, true })
        {
            var marker = Marker().Matches(text).LastOrDefault(m => allowQuoted || !Quoted(m.Value));
            if (marker is not null)
            {
                return FromWord(marker.Groups[1].Value);
            }

            foreach (var candidate in Enumerable.Reverse(JsonCandidates(text)))
            {
                if ((allowQuoted || !Quoted(candidate)) && TryParseJsonObject(candidate, out var verdict))
                {
                    return verdict;
                }
            }

            var phrase = Phrase().Matches(text).LastOrDefault(m => allowQuoted || !Quoted(m.Value));
            if (phrase is not null)
            {
                return FromWord(phrase.Groups[1].Value);
            }
        }

        var bare = Bare().Match(text);
        return bare.Success ? FromWord(bare.Groups[1].Value) : null;
    }

    private static bool LooksLikeVerdict(string text)
        => !string.IsNullOrWhiteSpace(text) && (Marker().IsMatch(text) || Phrase().IsMatch(text) || text.Contains("winner", StringComparison.OrdinalIgnoreCase));

    private static bool TryParseJsonObject(string text, out JudgeVerdict? verdict)
    {
        verdict = null;
        if (!text.StartsWith('{'))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.NameEquals("winner") || string.Equals(property.Name, "winner", StringComparison.OrdinalIgnoreCase))
                {
                    verdict = property.Value.ValueKind == JsonValueKind.String ? FromWord(property.Value.GetString()!) : null;
                    return verdict is not null;
                }
            }

            return false;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    // Balanced {...} spans outside JSON strings, so nested objects and braces inside strings are handled.
    private static List<string> JsonCandidates(string text)
    {
        var result = new List<string>();
        for (var start = text.IndexOf('{', StringComparison.Ordinal); start >= 0; start = text.IndexOf('{', start + 1))
        {
            int depth = 0;
            var inString = false;
            for (var i = start; i < text.Length; i++)
            {
                var c = text[i];
                if (inString)
                {
                    if (c == '\\')
                    {
                        i++;
                    }
                    else if (c == '"')
                    {
                        inString = false;
                    }
                }
                else if (c == '"')
                {
                    inString = true;
                }
                else if (c == '{')
                {
                    depth++;
                }
                else if (c == '}' && --depth == 0)
                {
                    result.Add(text[start..(i + 1)]);
                    break;
                }
            }
        }

        return result;
    }

    private static string StripCodeFence(string text)
    {
        var fence = CodeFence().Match(text);
        return fence.Success ? fence.Groups[1].Value.Trim() : text;
    }

    private static JudgeVerdict? FromWord(string word) => word.Trim().ToUpperInvariant() switch
    {
        "A" or "ANSWER A" or "ASSISTANT A" => JudgeVerdict.A,
        "B" or "ANSWER B" or "ASSISTANT B" => JudgeVerdict.B,
        "C" or "TIE" or "DRAW" or "EQUAL" => JudgeVerdict.Tie,
        _ => null,
    };

    [GeneratedRegex(@"\[\[\s*(A|B|C|tie)\s*\]\]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Marker();

    [GeneratedRegex(@"\b(?:winner|verdict|better answer)\b\W{0,5}(?:is\W{0,3})?(?:answer\s+|assistant\s+)?(A|B|tie)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Phrase();

    [GeneratedRegex(@"^\W*(?:answer\s+|assistant\s+)?(A|B|tie|C)\W*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Bare();

    [GeneratedRegex(@"^```[a-zA-Z]*\s*\n(.*?)\n?```$", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex CodeFence();
}
