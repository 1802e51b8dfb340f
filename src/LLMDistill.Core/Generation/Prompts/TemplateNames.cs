namespace LLMDistill.Generation.Prompts;

/// <summary>The templates the pipeline knows and the placeholders each takes (documented in prompts/README.md).</summary>
public static class TemplateNames
{
    /// <summary>Self-Instruct expansion (chat).</summary>
    public const string ExpandSelfInstruct = "expand-self-instruct";

    /// <summary>Completion-style expansion: openings for base models.</summary>
    public const string ExpandCompletion = "expand-completion";

    /// <summary>Answering a chat task.</summary>
    public const string Answer = "answer";

    /// <summary>Continuing a prefix (completion).</summary>
    public const string AnswerCompletion = "answer-completion";

    /// <summary>Judge rubric for chat samples.</summary>
    public const string Judge = "judge";

    /// <summary>Judge rubric for continuations.</summary>
    public const string JudgeCompletion = "judge-completion";

    /// <summary>The template of Evol-Instruct operator <paramref name="op"/>.</summary>
    public static string Evol(string op) => "evol-" + op;

    /// <summary>Required and optional placeholders of template <paramref name="name"/>.</summary>
    /// <exception cref="FormatException">The name is not a known template.</exception>
    internal static TemplateSpec Spec(string name) => name switch
    {
        ExpandSelfInstruct => new(["examples", "count"], ["next_number"], false),
        ExpandCompletion => new(["examples"], [], true),
        Answer => new(["instruction", "input_section"], [], false),
        AnswerCompletion => new(["prefix"], [], true),
        Judge => new(["sample"], ["sample_tag"], false),
        JudgeCompletion => new(["sample"], ["sample_tag"], false),
        _ when name.StartsWith("evol-", StringComparison.Ordinal) => new(["task"], ["input_section"], false),
        _ => throw new FormatException($"'{name}' is not a template the pipeline knows"),
    };

    internal sealed record TemplateSpec(IReadOnlyList<string> Required, IReadOnlyList<string> Optional, bool CompletionOnly);
}
