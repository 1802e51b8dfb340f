using System.Text.RegularExpressions;
using LLMDistill.Teachers;

namespace LLMDistill.Generation.Expansion;

/// <summary>
/// Rejects unusable generated tasks before deduplication, with a reason code (Self-Instruct's filters: length,
/// non-text keywords, leading punctuation; plus answer-like text).
/// </summary>
internal static partial class TaskQualityFilter
{
    /// <summary>The rejection reason for <paramref name="text"/>, or null when it is usable.</summary>
    public static string? Check(string text, TeacherMode mode, ExpandOptions options)
    {
        var trimmed = text.Trim();
        if (trimmed.Length < options.MinTaskChars)
        {
            return RejectionReasons.TaskTooShort;
        }

        if (trimmed.Length > options.MaxTaskChars)
        {
            return RejectionReasons.TaskTooLong;
        }

        if (!trimmed.Any(char.IsLetter))
        {
            return RejectionReasons.TaskMalformed;
        }

        if (mode == TeacherMode.Completion)
        {
            return null;
        }

        if (Words().Count(trimmed) < 3)
        {
            return RejectionReasons.TaskTooShort;
        }

        if (char.IsPunctuation(trimmed[0]) && trimmed[0] is not ('"' or '\'' or '(' or '['))
        {
            return RejectionReasons.TaskMalformed;
        }

        if (AnswerLike().IsMatch(trimmed))
        {
            return RejectionReasons.TaskLooksLikeAnswer;
        }

        return NonText().IsMatch(trimmed) ? RejectionReasons.TaskNeedsNonText : null;
    }

    [GeneratedRegex(@"\w+")]
    private static partial Regex Words();

    [GeneratedRegex(@"^(sure\b|certainly\b|of course\b|here (is|are)\b|here's\b|answer\s*:|output\s*:|response\s*:|solution\s*:|as an ai\b|i'm sorry\b|i am sorry\b|i cannot\b|i can't\b)", RegexOptions.IgnoreCase)]
    private static partial Regex AnswerLike();

    // Self-Instruct's keyword blacklist: tasks a text-only model cannot do.
    [GeneratedRegex(@"\b(images?|pictures?|photos?|photographs?|graphs?|charts?|diagrams?|flowcharts?|maps?|draw|drawing|plot|plots|video|videos|audio|music|recording|attached|attachment|screenshot|go to|visit the|website|url|browse)\b", RegexOptions.IgnoreCase)]
    private static partial Regex NonText();
}
