using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace LLMDistill.Generation.Scoring;

/// <summary>
/// Reads the judge's verdict: a JSON object <c>{"rationale": ..., "score": 1-10}</c> (structured output), else the
/// last such object or <c>score: N</c> in free text. Before searching, everything the judge quotes from the sample is
/// removed (the delimited block, and verbatim copies of the sample's text), so a score written inside the sample is
/// never mistaken for the judge's.
/// </summary>
public static partial class JudgeResponseParser
{
    /// <summary>Parses <paramref name="reply"/>; null when it holds no score in 1–10.</summary>
    /// <param name="reply">The judge's text.</param>
    /// <param name="sampleTexts">The judged sample's texts (task, input, answer), removed from the reply before parsing.</param>
    public static JudgeScore? Parse(string reply, IEnumerable<string?> sampleTexts)
    {
        ArgumentNullException.ThrowIfNull(reply);
        ArgumentNullException.ThrowIfNull(sampleTexts);
        // Structured output: the whole reply is the judge's own object, whose top-level score the sample cannot set.
        if (TryParseObject(Fence().Replace(reply, "$1").Trim(), out var structured))
        {
            return structured;
        }

        var text = QuotedBlock().Replace(reply, " ");
        foreach (var sample in sampleTexts.Where(s => s is { Length: >= 8 }).OrderByDescending(s => s!.Length))
        {
            text = text.Replace(sample!, " ", StringComparison.Ordinal);
            text = text.Replace(JsonSerializer.Serialize(sample)[1..^1], " ", StringComparison.Ordinal);
        }

        JudgeScore? last = null;
        foreach (Match match in JsonObject().Matches(text))
        {
            if (TryParseObject(match.Value, out var parsed))
            {
                last = parsed;
            }
        }

        if (last is not null)
        {
            return last;
        }

        var scores = ScoreText().Matches(text);
        for (var i = scores.Count - 1; i >= 0; i--)
        {
            if (double.TryParse(scores[i].Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value is >= 1 and <= 10)
            {
                return new JudgeScore(value, null);
            }
        }

        return null;
    }

    private static bool TryParseObject(string json, out JudgeScore? parsed)
    {
        parsed = null;
        if (!json.StartsWith('{'))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("score", out var score))
            {
                return false;
            }

            double value;
            if (score.ValueKind == JsonValueKind.Number)
            {
                value = score.GetDouble();
            }
            else if (score.ValueKind != JsonValueKind.String || !double.TryParse(score.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value))
            {
                return false;
            }

            if (value is < 1 or > 10)
            {
                return false;
            }

            var rationale = root.TryGetProperty("rationale", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            parsed = new JudgeScore(value, rationale);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"<(sample-[0-9a-f]{8})>.*?(</\1>|$)", RegexOptions.Singleline)]
    private static partial Regex QuotedBlock();

    [GeneratedRegex(@"^\s*```(?:json)?\s*(.*?)\s*```\s*$", RegexOptions.Singleline)]
    private static partial Regex Fence();

    [GeneratedRegex(@"\{[^{}]*""score""[^{}]*\}", RegexOptions.Singleline)]
    private static partial Regex JsonObject();

    [GeneratedRegex(@"score\W{0,3}\s*[:=]?\s*(\d+(?:\.\d+)?)\s*(?:/\s*10)?", RegexOptions.IgnoreCase)]
    private static partial Regex ScoreText();
}
