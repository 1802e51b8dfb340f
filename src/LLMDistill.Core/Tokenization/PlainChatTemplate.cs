using System.Text;
using LLMDistill.Teachers;

namespace LLMDistill.Tokenization;

/// <summary>
/// An Alpaca-style template for models without a chat template (base models such as shakespeare-4m):
/// <code>
/// {system}\n\n                                   (only when there is a system message)
/// ### Instruction:\n{user}\n\n
/// ### Response:\n{assistant}{EndOfTurn}\n\n
/// </code>
/// and the generation prompt <c>### Response:\n</c>. <see cref="EndOfTurn"/> is the model's EOS token text when it
/// has one, so a student learns to stop; content is not trimmed.
/// </summary>
public sealed class PlainChatTemplate : ChatTemplate
{
    /// <summary>Creates the template.</summary>
    /// <param name="endOfTurn">Text closing an assistant turn, usually the EOS token (e.g. <c>&lt;|eos|&gt;</c>); may be empty.</param>
    public PlainChatTemplate(string endOfTurn)
    {
        ArgumentNullException.ThrowIfNull(endOfTurn);
        EndOfTurn = endOfTurn;
    }

    /// <inheritdoc/>
    public override string Name => "plain";

    /// <inheritdoc/>
    public override string EndOfTurn { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">A role other than system, user or assistant.</exception>
    public override string Render(IReadOnlyList<ChatTurn> messages, bool addGenerationPrompt)
    {
        ValidateMessages(messages);
        var text = new StringBuilder();
        foreach (var turn in messages)
        {
            _ = turn.Role switch
            {
                "system" => text.Append(turn.Content).Append("\n\n"),
                "user" => text.Append("### Instruction:\n").Append(turn.Content).Append("\n\n"),
                "assistant" => text.Append("### Response:\n").Append(turn.Content).Append(EndOfTurn).Append("\n\n"),
                _ => throw new ArgumentException($"the plain template has no form for role '{turn.Role}' (system, user, assistant)", nameof(messages)),
            };
        }

        if (addGenerationPrompt)
        {
            text.Append("### Response:\n");
        }

        return text.ToString();
    }
}
