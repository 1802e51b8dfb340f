using LLMDistill.Configuration;
using LLMDistill.Generation;
using LLMDistill.Generation.Prompts;

namespace LLMDistill.Evaluation.Judge;

/// <summary>
/// The pairwise rubric (<c>prompts/judge-pairwise.md</c>), a <see cref="PromptTemplate"/> like every file in
/// <c>prompts/</c>: a <c>[system]</c> part and a <c>[user]</c> part with the placeholders {instruction}, {answer_a} and
/// {answer_b}, each exactly once in the user part. Rendering quotes each value in a block whose BEGIN/END lines carry a
/// tag hashed from the whole comparison, so an answer cannot close its block early or smuggle in instructions, and
/// substitution is single-pass (<see cref="PromptTemplate"/>), so a placeholder written inside an answer is never expanded.
/// </summary>
public sealed class JudgePromptTemplate
{
    private static readonly string[] Placeholders = ["instruction", "answer_a", "answer_b"];

    private readonly PromptTemplate _template;

    private JudgePromptTemplate(string source, PromptTemplate template)
    {
        Source = source;
        _template = template;
        System = template.RenderSystem(new Dictionary<string, string>()) ?? "";
        User = template.RenderUser(Placeholders.ToDictionary(p => p, p => "{" + p + "}", StringComparer.Ordinal));
    }

    /// <summary>Where the template came from (file path or a name), for error messages.</summary>
    public string Source { get; }

    /// <summary>The judge's instructions.</summary>
    public string System { get; }

    /// <summary>The comparison, with its placeholders shown as <c>{name}</c>.</summary>
    public string User { get; }

    /// <summary>A short hash of the template text, recorded with the judge results.</summary>
    public string Hash => _template.Hash[..12];

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

    /// <summary>Parses template text: an optional leading HTML comment, then a <c>[system]</c> part and a <c>[user]</c> part.</summary>
    /// <param name="text">The template.</param>
    /// <param name="source">Its name in error messages.</param>
    /// <returns>The template.</returns>
    /// <exception cref="OptionsValidationException">A part or placeholder is missing, repeated or unknown.</exception>
    public static JudgePromptTemplate Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        RequireSystemFirst(text, source);
        PromptTemplate template;
        try
        {
            template = PromptTemplate.Parse(Path.GetFileNameWithoutExtension(source), source, text);
        }
        catch (FormatException ex)
        {
            throw new OptionsValidationException($"judge template {ex.Message}", ex); // the message starts with the file (and line)
        }

        if (template.Placeholders.FirstOrDefault(p => !Placeholders.Contains(p)) is { } unknown)
        {
            throw new OptionsValidationException($"judge template '{source}': unknown placeholder {{{unknown}}} (allowed: {{instruction}}, {{answer_a}}, {{answer_b}})");
        }

        foreach (var name in Placeholders)
        {
            var count = template.Occurrences(name, inSystem: false);
            if (count != 1 || template.Occurrences(name, inSystem: true) > 0)
            {
                throw new OptionsValidationException($"judge template '{source}': placeholder {{{name}}} must appear exactly once, in the user part (found {count})");
            }
        }

        return new JudgePromptTemplate(source, template);
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
        var tag = ContentHash.Of("judge-pairwise", instruction, answerA, answerB);
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["instruction"] = Quote("TASK", tag, instruction),
            ["answer_a"] = Quote("ANSWER A", tag, answerA),
            ["answer_b"] = Quote("ANSWER B", tag, answerB),
        };
        return (System, _template.RenderUser(values));
    }

    private static string Quote(string label, string tag, string text)
        => $"<<<BEGIN {label} {tag}>>>\n{text.TrimEnd()}\n<<<END {label} {tag}>>>";

    // The generation format lets a template be only a user message and drops text before [system]; the judge needs its
    // instructions as a system message, and stray text or an unclosed comment above them is a mistake worth naming.
    private static void RequireSystemFirst(string text, string source)
    {
        var body = text.ReplaceLineEndings("\n").TrimStart();
        if (body.StartsWith("<!--", StringComparison.Ordinal))
        {
            var end = body.IndexOf("-->", StringComparison.Ordinal);
            if (end < 0)
            {
                throw new OptionsValidationException($"judge template '{source}': the leading comment is not closed with -->");
            }

            body = body[(end + 3)..].TrimStart();
        }

        if (body.Split('\n', 2)[0].Trim() != "[system]")
        {
            throw new OptionsValidationException($"judge template '{source}': expected a '[system]' part followed by a '[user]' part");
        }
    }
}
