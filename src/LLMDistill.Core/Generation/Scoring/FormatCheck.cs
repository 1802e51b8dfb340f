using System.Text.RegularExpressions;
using LLMDistill.Teachers;
using LLMDistill.Text;

namespace LLMDistill.Generation.Scoring;

/// <summary>
/// Length and format checks of an answer: a hard rejection (empty, too short, content filter) or a [0, 1] score with
/// penalties for truncation, excessive length, degenerate repetition, refusals and unbalanced code fences.
/// </summary>
public static partial class FormatCheck
{
    /// <summary>The rejection reason, or null when the answer is usable.</summary>
    public static string? Reject(string response, string finishReason, ScoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(options);
        if (finishReason == "content_filter")
        {
            return RejectionReasons.AnswerContentFilter;
        }

        return response.Trim().Length < Math.Max(1, options.MinResponseChars) ? RejectionReasons.AnswerEmpty : null;
    }

    /// <summary>The format score in [0, 1].</summary>
    public static double Score(TeacherMode mode, string response, string finishReason, ScoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(options);
        var score = 1.0;
        if (finishReason == "length")
        {
            score -= 0.4;
        }

        if (response.Length > options.MaxResponseChars)
        {
            score -= 0.3;
        }

        if (RepetitionRatio(response) > 0.5)
        {
            score -= 0.4;
        }

        if (mode == TeacherMode.Chat)
        {
            if (Refusal().IsMatch(response))
            {
                score -= 0.5;
            }

            if (Fence().Count(response) % 2 == 1)
            {
                score -= 0.2;
            }
        }

        return Math.Clamp(score, 0, 1);
    }

    /// <summary>Share of word 4-grams that repeat an earlier one (0 for varied text, near 1 for loops).</summary>
    public static double RepetitionRatio(string text)
    {
        var tokens = RougeL.Tokenize(text);
        if (tokens.Count < 12)
        {
            return 0;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var repeats = 0;
        for (var i = 0; i + 4 <= tokens.Count; i++)
        {
            if (!seen.Add(string.Join(' ', tokens[i], tokens[i + 1], tokens[i + 2], tokens[i + 3])))
            {
                repeats++;
            }
        }

        return (double)repeats / (tokens.Count - 3);
    }

    [GeneratedRegex(@"^\s*(as an ai( language model)?|i'm sorry, but|i am sorry, but|i cannot (help|assist|comply)|i can't (help|assist|comply))", RegexOptions.IgnoreCase)]
    private static partial Regex Refusal();

    [GeneratedRegex("^```", RegexOptions.Multiline)]
    private static partial Regex Fence();
}
