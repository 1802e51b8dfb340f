using System.Text;
using System.Text.RegularExpressions;

namespace LLMDistill.Hub;

/// <summary>
/// Python <c>fnmatch</c> patterns, as <c>huggingface_hub</c> applies <c>allow_patterns</c> to repository paths:
/// <c>*</c> matches any run of characters including '/', <c>?</c> one character, <c>[abc]</c>/<c>[!abc]</c> a set;
/// a pattern ending in '/' matches everything below that folder. Matching is case-sensitive.
/// </summary>
internal sealed class GlobPattern
{
    private readonly Regex _regex;

    public GlobPattern(string pattern)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        Pattern = pattern;
        _regex = new Regex(Translate(pattern.EndsWith('/') ? pattern + "*" : pattern), RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }

    public string Pattern { get; }

    public bool IsMatch(string path) => _regex.IsMatch(path);

    /// <summary>True when any of <paramref name="patterns"/> matches <paramref name="path"/>.</summary>
    public static bool MatchesAny(IEnumerable<GlobPattern> patterns, string path) => patterns.Any(p => p.IsMatch(path));

    private static string Translate(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*':
                    regex.Append(".*");
                    break;
                case '?':
                    regex.Append('.');
                    break;
                case '[':
                    var end = pattern.IndexOf(']', i + 2 <= pattern.Length ? i + 2 : pattern.Length);
                    if (end < 0)
                    {
                        regex.Append(@"\[");
                        break;
                    }

                    var set = pattern[(i + 1)..end];
                    var negate = set.StartsWith('!');
                    regex.Append('[').Append(negate ? "^" : string.Empty)
                        .Append((negate ? set[1..] : set).Replace(@"\", @"\\", StringComparison.Ordinal).Replace("^", @"\^", StringComparison.Ordinal)
                            .Replace("[", @"\[", StringComparison.Ordinal))
                        .Append(']');
                    i = end;
                    break;
                default:
                    regex.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        return regex.Append('$').ToString();
    }
}
