using System.Text;
using LLMDistill.Teachers;

namespace LLMDistill.Tokenization;

/// <summary>
/// ChatML (Qwen2/2.5, SmolLM2, many fine-tunes): each turn is <c>&lt;|im_start|&gt;role\ncontent&lt;|im_end|&gt;\n</c>;
/// the generation prompt is <c>&lt;|im_start|&gt;assistant\n</c>. Content is not trimmed.
/// </summary>
/// <remarks>
/// Models whose template writes a default system turn when the conversation has none (Qwen2.5:
/// "You are Qwen, created by Alibaba Cloud. You are a helpful assistant."; SmolLM2: "You are a helpful AI assistant
/// named SmolLM, trained by Hugging Face") get it through <see cref="DefaultSystemPrompt"/>, which auto-detection
/// reads from the model's own template; a template without one gets none. Tool calls are not rendered.
/// </remarks>
public sealed class ChatMLTemplate : ChatTemplate
{
    /// <summary>Creates the template.</summary>
    /// <param name="defaultSystemPrompt">System text written when the first message is not a system message; null for none.</param>
    public ChatMLTemplate(string? defaultSystemPrompt = null) => DefaultSystemPrompt = defaultSystemPrompt;

    /// <summary>System text used when the conversation has no system message, or null.</summary>
    public string? DefaultSystemPrompt { get; }

    /// <inheritdoc/>
    public override string Name => "chatml";

    /// <inheritdoc/>
    public override string EndOfTurn => "<|im_end|>";

    /// <inheritdoc/>
    public override string Render(IReadOnlyList<ChatTurn> messages, bool addGenerationPrompt)
    {
        ValidateMessages(messages);
        var text = new StringBuilder();
        if (DefaultSystemPrompt is not null && messages.Count > 0 && messages[0].Role != "system")
        {
            AppendTurn(text, "system", DefaultSystemPrompt);
        }

        foreach (var turn in messages)
        {
            AppendTurn(text, turn.Role, turn.Content);
        }

        if (addGenerationPrompt)
        {
            text.Append("<|im_start|>assistant\n");
        }

        return text.ToString();
    }

    private static void AppendTurn(StringBuilder text, string role, string content)
        => text.Append("<|im_start|>").Append(role).Append('\n').Append(content).Append("<|im_end|>\n");
}
