using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using LLMDistill.Configuration;

namespace LLMDistill.Evaluation.Judge;

/// <summary>
/// The pairwise rubric (<c>prompts/judge-pairwise.md</c>): a system section and a user section with the placeholders
/// {instruction}, {answer_a} and {answer_b}. Rendering quotes each value in a block whose BEGIN/END lines carry a tag
/// hashed from the whole comparison, so an answer cannot close its block early or smuggle in instructions, and
/// substitution is single-pass, so a placeholder written inside an answer is never expanded.
/// </summary>
public sealed partial class JudgePromptTemplate
{
    private static readonly string[] Placeholders = ["instruction", "answer_a", "answer_b"];

    private JudgePromptTemplate(string source, string system, string user)
    {
        Source = source;
        System = system;
        User = user;
    }

    /// <summary>Where the template came from (file path or a name), for error messages.</summary>
    public string Source { get; }

    /// <summary>The judge's instructions.</summary>
    public string System { get; }

    /// <summary>The comparison, with placeholders.</summary>
    public string User { get; }

    /// <summary>A short hash of the template text, recorded with the judge results.</summary>
    public string Hash => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(System + "\n\0\n" + User)))[..12];

    /// <summary>Loads and checks a template file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The template.</returns>
    /// <exception cref="OptionsValidationException">The file is missing or malformed; the message names the file.</exception>
    public static async Task<JudgePromptTemplate> LoadAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new OptionsValidationException($"{JudgeOptions.SectionName}:TemplatePath: judge template '{path}' not found");
        }

        return Parse(await File.ReadAllTextAsync(path, cancellationToken), path);
    }

    /// <summary>Parses template text: an optional leading HTML comment, then <c>## system</c> and <c>## user</c> sections.</summary>
    /// <param name="text">The template.</param>
    /// <param name="source">Its name in error messages.</param>
    /// <returns>The template.</returns>
    /// <exception cref="OptionsValidationException">A section or placeholder is missing, repeated or unknown.</exception>
    public static JudgePromptTemplate Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        var trimmed = text.TrimStart();
        if (trimmed.StartsWith("<!--", StringComparison.Ordinal))
        {
            var end = trimmed.IndexOf("-->", StringComparison.Ordinal);
            if (end < 0)
            {
                throw new OptionsValidationException($"judge template '{source}': the leading comment is not closed with -->");
            }

            trimmed = trimmed[(end + 3)..];
        }

        var sections = SectionHeading().Split(trimmed);
        var headings = SectionHeading().Matches(trimmed).Select(m => m.Groups[1].Value.ToLowerInvariant()).ToArray();
        if (headings.Length != 2 || headings[0] != "system" || headings[1] != "user" || sections[0].Trim().Length > 0)
        {
            throw new OptionsValidationException($"judge template '{source}': expected exactly a '## system' section followed by a '## user' section");
        }

        // Split keeps the captured heading names between the bodies: [prefix, "system", body, "user", body].
        var system = sections[2].Trim();
        var user = sections[4].Trim();
        foreach (Match match in Placeholder().Matches(system + "\n" + user))
        {
            if (!Placeholders.Contains(match.Groups[1].Value))
            {
                throw new OptionsValidationException($"judge template '{source}': unknown placeholder {{{match.Groups[1].Value}}} (allowed: {{instruction}}, {{answer_a}}, {{answer_b}})");
            }
        }

        foreach (var name in Placeholders)
        {
            var count = Placeholder().Matches(user).Count(m => m.Groups[1].Value == name);
            if (count != 1 || Placeholder().Matches(system).Any(m => m.Groups[1].Value == name))
            {
                throw new OptionsValidationException($"judge template '{source}': placeholder {{{name}}} must appear exactly once, in the user section (found {count})");
            }
        }

        return new JudgePromptTemplate(source, system, user);
    }

    /// <summary>Renders one comparison.</summary>
    /// <param name="instruction">The task.</param>
    /// <param name="answerA">The answer shown first.</param>
    /// <param name="answerB">The answer shown second.</param>
    /// <returns>The system and user messages.</returns>
    public (string System, string User) Render(string instruction, string answerA, string answerB)
    {
        ArgumentNullException.ThrowIfNull(instruction);
        ArgumentNullException.ThrowIfNull(answerA);
        ArgumentNullException.ThrowIfNull(answerB);
        var tag = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\0', instruction, answerA, answerB))))[..16];
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["instruction"] = Quote("TASK", tag, instruction),
            ["answer_a"] = Quote("ANSWER A", tag, answerA),
            ["answer_b"] = Quote("ANSWER B", tag, answerB),
        };

        // One pass over the template only: text inserted for a placeholder is never scanned again.
        var user = Placeholder().Replace(User, m => values[m.Groups[1].Value]);
        return (System, user);
    }

    private static string Quote(string label, string tag, string text)
        => $"<<<BEGIN {label} {tag}>>>\n{text.TrimEnd()}\n<<<END {label} {tag}>>>";

    [GeneratedRegex(@"^##[ \t]+(system|user)[ \t]*$", RegexOptions.Multiline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SectionHeading();

    [GeneratedRegex(@"\{([a-z_]+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
