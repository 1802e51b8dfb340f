using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using LLMDistill.Teachers;

namespace LLMDistill.Generation.Prompts;

/// <summary>
/// A prompt template from <c>prompts/*.md</c>. The file is the user message (or, in completion mode, the prompt); a
/// line <c>[system]</c> starts a system message and <c>[user]</c> the user message. <c>{name}</c> is a placeholder,
/// <c>{{</c> and <c>}}</c> are literal braces, and a leading <c>&lt;!-- ... --&gt;</c> comment is documentation only.
/// Values are inserted verbatim, so text inside them is never treated as a placeholder.
/// </summary>
public sealed partial class PromptTemplate
{
    private readonly IReadOnlyList<Segment> _system;
    private readonly IReadOnlyList<Segment> _user;

    private PromptTemplate(string name, string path, string hash, IReadOnlyList<Segment> system, IReadOnlyList<Segment> user, IReadOnlySet<string> placeholders)
    {
        Name = name;
        Path = path;
        Hash = hash;
        _system = system;
        _user = user;
        Placeholders = placeholders;
    }

    /// <summary>Template name (file name without <c>.md</c>).</summary>
    public string Name { get; }

    /// <summary>The file it was read from.</summary>
    public string Path { get; }

    /// <summary>Content hash (16 hex digits) recorded in provenance.</summary>
    public string Hash { get; }

    /// <summary>Whether it has a system message.</summary>
    public bool HasSystem => _system.Count > 0;

    /// <summary>The placeholders it uses.</summary>
    public IReadOnlySet<string> Placeholders { get; }

    /// <summary>Parses template text.</summary>
    /// <exception cref="FormatException">Unbalanced braces or an invalid placeholder name; the message names <paramref name="path"/> and the line.</exception>
    public static PromptTemplate Parse(string name, string path, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
        var body = text.ReplaceLineEndings("\n");
        var comment = LeadingComment().Match(body);
        if (comment.Success)
        {
            body = body[comment.Length..];
        }

        string? system = null;
        var user = body;
        var lines = body.Split('\n');
        var systemLine = Array.FindIndex(lines, l => l.Trim() == "[system]");
        var userLine = Array.FindIndex(lines, l => l.Trim() == "[user]");
        if (systemLine >= 0 || userLine >= 0)
        {
            if (userLine < 0 || (systemLine >= 0 && systemLine > userLine))
            {
                throw new FormatException($"{path}: a template with [system] needs a [user] line after it");
            }

            system = systemLine >= 0 ? string.Join('\n', lines[(systemLine + 1)..userLine]).Trim() : null;
            user = string.Join('\n', lines[(userLine + 1)..]);
        }

        var placeholders = new HashSet<string>(StringComparer.Ordinal);
        var systemSegments = system is null ? [] : ParseSegments(system, path, placeholders);
        var userSegments = ParseSegments(user.Trim('\n'), path, placeholders);
        return new PromptTemplate(name, path, hash, systemSegments, userSegments, placeholders);
    }

    /// <summary>How often <paramref name="placeholder"/> occurs in the system part or the user part.</summary>
    internal int Occurrences(string placeholder, bool inSystem) => (inSystem ? _system : _user).Count(s => s.Placeholder == placeholder);

    /// <summary>Renders the user part (or the completion prompt).</summary>
    /// <exception cref="KeyNotFoundException">A placeholder has no value.</exception>
    public string RenderUser(IReadOnlyDictionary<string, string> values) => Render(_user, values);

    /// <summary>Renders the system part, or null when there is none.</summary>
    public string? RenderSystem(IReadOnlyDictionary<string, string> values) => _system.Count == 0 ? null : Render(_system, values);

    /// <summary>Renders chat messages: optional system, then user.</summary>
    public IReadOnlyList<ChatTurn> RenderChat(IReadOnlyDictionary<string, string> values)
    {
        var system = RenderSystem(values);
        var user = new ChatTurn("user", RenderUser(values));
        return system is null ? [user] : [new ChatTurn("system", system), user];
    }

    private static string Render(IReadOnlyList<Segment> segments, IReadOnlyDictionary<string, string> values)
    {
        var builder = new StringBuilder();
        foreach (var segment in segments)
        {
            if (segment.Placeholder is null)
            {
                builder.Append(segment.Text);
            }
            else
            {
                builder.Append(values.TryGetValue(segment.Placeholder, out var value)
                    ? value
                    : throw new KeyNotFoundException($"no value for placeholder {{{segment.Placeholder}}}"));
            }
        }

        return builder.ToString();
    }

    private static List<Segment> ParseSegments(string text, string path, HashSet<string> placeholders)
    {
        var segments = new List<Segment>();
        var literal = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if ((c == '{' || c == '}') && i + 1 < text.Length && text[i + 1] == c)
            {
                literal.Append(c);
                i++;
            }
            else if (c == '{')
            {
                var close = text.IndexOf('}', i + 1);
                var name = close < 0 ? null : text[(i + 1)..close];
                if (name is null || !PlaceholderName().IsMatch(name))
                {
                    throw new FormatException($"{path}:{LineOf(text, i)}: '{{' starts no valid placeholder (use {{{{ for a literal brace; names are lower_snake_case)");
                }

                if (literal.Length > 0)
                {
                    segments.Add(new Segment(literal.ToString(), null));
                    literal.Clear();
                }

                segments.Add(new Segment("", name));
                placeholders.Add(name);
                i = close;
            }
            else if (c == '}')
            {
                throw new FormatException($"{path}:{LineOf(text, i)}: unmatched '}}' (use }}}} for a literal brace)");
            }
            else
            {
                literal.Append(c);
            }
        }

        if (literal.Length > 0)
        {
            segments.Add(new Segment(literal.ToString(), null));
        }

        return segments;
    }

    private static int LineOf(string text, int index) => text.AsSpan(0, index).Count('\n') + 1;

    [GeneratedRegex(@"^\s*<!--.*?-->\s*", RegexOptions.Singleline)]
    private static partial Regex LeadingComment();

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex PlaceholderName();

    private sealed record Segment(string Text, string? Placeholder);
}
