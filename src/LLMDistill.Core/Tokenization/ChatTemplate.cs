using LLMDistill.Teachers;

namespace LLMDistill.Tokenization;

/// <summary>
/// Renders a conversation into the exact prompt string an instruct model was trained on, byte for byte what
/// Hugging Face's <c>apply_chat_template</c> gives for the supported families (<see cref="ChatMLTemplate"/>,
/// <see cref="Llama3ChatTemplate"/>), plus <see cref="PlainChatTemplate"/> for base models without a template.
/// Encode the result with <c>addBos: false</c>: templates that want a BOS token write it themselves.
/// </summary>
public abstract class ChatTemplate
{
    /// <summary>Short name: <c>chatml</c>, <c>llama3</c> or <c>plain</c>.</summary>
    public abstract string Name { get; }

    /// <summary>
    /// The text that closes an assistant turn (e.g. <c>&lt;|im_end|&gt;</c>). For training, the response is
    /// <c>answer + EndOfTurn</c>, tokenized apart from the prompt, so the loss mask is exact and the student learns to stop.
    /// </summary>
    public abstract string EndOfTurn { get; }

    /// <summary>Renders <paramref name="messages"/>.</summary>
    /// <param name="messages">The conversation, oldest first; roles are <c>system</c>, <c>user</c>, <c>assistant</c>.</param>
    /// <param name="addGenerationPrompt">Append the header that opens the assistant's next turn.</param>
    /// <returns>The prompt text.</returns>
    /// <exception cref="ArgumentException">A message has an empty role, or a role the template cannot express.</exception>
    public abstract string Render(IReadOnlyList<ChatTurn> messages, bool addGenerationPrompt);

    /// <inheritdoc/>
    public override string ToString() => Name;

    /// <summary>Checks the messages every template needs: non-null list, non-null turns with a role and content.</summary>
    protected static void ValidateMessages(IReadOnlyList<ChatTurn> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        for (var i = 0; i < messages.Count; i++)
        {
            var turn = messages[i] ?? throw new ArgumentException($"message {i} is null", nameof(messages));
            if (string.IsNullOrWhiteSpace(turn.Role) || turn.Content is null)
            {
                throw new ArgumentException($"message {i} needs a role and content", nameof(messages));
            }
        }
    }
}
