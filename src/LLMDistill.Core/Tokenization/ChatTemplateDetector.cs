using System.Text.RegularExpressions;

namespace LLMDistill.Tokenization;

/// <summary>
/// Picks the <see cref="ChatTemplate"/> for a model from the Jinja source of its <c>chat_template</c>: ChatML when
/// it writes <c>&lt;|im_start|&gt;</c>, Llama 3 when it writes <c>&lt;|start_header_id|&gt;</c>, Plain when there is
/// no template. A template of another family is reported, not guessed, because a wrong template silently ruins a
/// distillation run; a forced <see cref="ChatTemplateKind"/> overrides detection.
/// </summary>
internal static partial class ChatTemplateDetector
{
    /// <summary>Resolves the template; <paramref name="error"/> explains why none could be chosen.</summary>
    public static ChatTemplate? Resolve(ChatTemplateKind kind, string? source, string? bosToken, string? eosToken, out string? error)
    {
        error = null;
        var family = kind != ChatTemplateKind.Auto ? kind
            : string.IsNullOrWhiteSpace(source) ? ChatTemplateKind.Plain
            : source.Contains("<|im_start|>", StringComparison.Ordinal) ? ChatTemplateKind.ChatML
            : source.Contains("<|start_header_id|>", StringComparison.Ordinal) ? ChatTemplateKind.Llama3
            : (ChatTemplateKind?)null;

        switch (family)
        {
            case ChatTemplateKind.ChatML:
                return new ChatMLTemplate(DefaultSystemPrompt(source));
            case ChatTemplateKind.Llama3:
                var preamble = source?.Contains("Cutting Knowledge Date", StringComparison.Ordinal) ?? false;
                return new Llama3ChatTemplate(preamble, beginOfText: bosToken ?? "<|begin_of_text|>");
            case ChatTemplateKind.Plain:
                return new PlainChatTemplate(eosToken ?? string.Empty);
            default:
                var start = source!.Trim();
                error = $"the model's chat_template is of a family this tool does not render (it begins \"{(start.Length > 60 ? start[..60] + "..." : start)}\"); "
                    + "set ChatTemplate to chatml, llama3 or plain to force one";
                return null;
        }
    }

    /// <summary>The literal default system text of a ChatML template (Qwen2.5, SmolLM2), or null when it has none.</summary>
    public static string? DefaultSystemPrompt(string? source)
    {
        if (source is null)
        {
            return null;
        }

        var match = DefaultSystemPattern().Match(source);
        return match.Success ? Unescape(match.Groups["text"].Value) : null;
    }

    // Jinja string-literal escapes that occur in these prompts.
    private static string Unescape(string literal) => literal.Replace("\\n", "\n", StringComparison.Ordinal)
        .Replace("\\'", "'", StringComparison.Ordinal).Replace("\\\"", "\"", StringComparison.Ordinal);

    // A literal system turn inside one Jinja string: '<|im_start|>system\n' + text + '<|im_end|>' with no variables in between.
    [GeneratedRegex(@"<\|im_start\|>system(?:\\n|\n)(?<text>[^'""{}<]+)<\|im_end\|>")]
    private static partial Regex DefaultSystemPattern();
}
