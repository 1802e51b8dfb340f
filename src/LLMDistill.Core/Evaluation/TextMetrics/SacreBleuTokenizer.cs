using System.Text;
using System.Text.RegularExpressions;

namespace LLMDistill.Evaluation.TextMetrics;

/// <summary>
/// sacreBLEU's tokenizers for BLEU: <c>13a</c> (mteval-v13a.pl, sacreBLEU's default) and <c>none</c>, plus the
/// Python whitespace rules sacreBLEU relies on (<c>str.split()</c>), so scores match sacreBLEU 2.x exactly.
/// </summary>
internal static partial class SacreBleuTokenizer
{
    /// <summary>Tokenizes one segment as sacreBLEU's <c>Tokenizer13a</c> does and splits it into tokens.</summary>
    public static string[] Tokenize(string segment, BleuTokenizer tokenizer, bool lowercase)
    {
        ArgumentNullException.ThrowIfNull(segment);
        if (lowercase)
        {
            segment = segment.ToLowerInvariant();
        }

        // sacreBLEU right-strips before tokenizing; 'none' keeps the text and only splits it on whitespace.
        segment = RStripPython(segment);
        return tokenizer switch
        {
            BleuTokenizer.ThirteenA => SplitPython(Apply13a(segment)),
            BleuTokenizer.None => SplitPython(segment),
            _ => throw new ArgumentOutOfRangeException(nameof(tokenizer), tokenizer, "unknown BLEU tokenizer"),
        };
    }

    /// <summary>The 13a rules: unescape a few SGML entities, then separate punctuation (mteval-v13a.pl).</summary>
    public static string Apply13a(string line)
    {
        line = line.Replace("<skipped>", string.Empty, StringComparison.Ordinal)
            .Replace("-\n", string.Empty, StringComparison.Ordinal)
            .Replace("\n", " ", StringComparison.Ordinal)
            .Replace("&quot;", "\"", StringComparison.Ordinal)
            .Replace("&amp;", "&", StringComparison.Ordinal)
            .Replace("&lt;", "<", StringComparison.Ordinal)
            .Replace("&gt;", ">", StringComparison.Ordinal);
        line = " " + line + " ";
        line = Punctuation().Replace(line, " $1 ");
        line = PeriodCommaAfterNonDigit().Replace(line, "$1 $2 ");
        line = PeriodCommaBeforeNonDigit().Replace(line, " $1 $2");
        line = DashAfterDigit().Replace(line, "$1 $2 ");
        return string.Join(' ', SplitPython(line));
    }

    /// <summary>Python's <c>str.split()</c>: split on runs of Unicode whitespace, no empty entries.</summary>
    public static string[] SplitPython(string text)
    {
        var parts = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var isSpace = i == text.Length || IsPythonWhitespace(text[i]);
            if (!isSpace && start < 0)
            {
                start = i;
            }
            else if (isSpace && start >= 0)
            {
                parts.Add(text[start..i]);
                start = -1;
            }
        }

        return [.. parts];
    }

    /// <summary>Removes every whitespace character, as sacreBLEU's chrF does (<c>''.join(s.split())</c>).</summary>
    public static string RemoveWhitespace(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (!IsPythonWhitespace(c))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>Python's <c>str.isspace</c> for one UTF-16 unit: .NET's white space plus the ASCII separators 0x1C-0x1F.</summary>
    public static bool IsPythonWhitespace(char c) => char.IsWhiteSpace(c) || c is >= '\u001C' and <= '\u001F';

    private static string RStripPython(string text)
    {
        var end = text.Length;
        while (end > 0 && IsPythonWhitespace(text[end - 1]))
        {
            end--;
        }

        return text[..end];
    }

    // The character class of mteval-v13a: {-~, [-`, space-&, (-+, :-@ and '/'.
    [GeneratedRegex(@"([\u007B-\u007E\u005B-\u0060\u0020-\u0026\u0028-\u002B\u003A-\u0040/])", RegexOptions.CultureInvariant)]
    private static partial Regex Punctuation();

    [GeneratedRegex(@"([^0-9])([\.,])", RegexOptions.CultureInvariant)]
    private static partial Regex PeriodCommaAfterNonDigit();

    [GeneratedRegex(@"([\.,])([^0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex PeriodCommaBeforeNonDigit();

    [GeneratedRegex(@"([0-9])(-)", RegexOptions.CultureInvariant)]
    private static partial Regex DashAfterDigit();
}
