using System.Text;
using LLMDistill.Teachers;

namespace LLMDistill.Tokenization;

/// <summary>
/// Llama 3 / 3.1 / 3.2: <c>&lt;|begin_of_text|&gt;</c>, then per turn
/// <c>&lt;|start_header_id|&gt;role&lt;|end_header_id|&gt;\n\ncontent&lt;|eot_id|&gt;</c> with content trimmed (the
/// template's <c>| trim</c>); the generation prompt is the assistant header.
/// </summary>
/// <remarks>
/// Llama 3.1 and later always open with a system turn that starts
/// <c>Cutting Knowledge Date: December 2023\nToday Date: {date}\n\n</c> followed by the (trimmed) system message,
/// if any (<see cref="KnowledgeDatePreamble"/>, detected from the model's template). The date is
/// <see cref="DateString"/>, by default "26 Jul 2024", the template's own fallback; Llama 3.2's template would use
/// today's date when rendered by Python, which we do not copy so that datasets are reproducible. Tools are not rendered.
/// </remarks>
public sealed class Llama3ChatTemplate : ChatTemplate
{
    /// <summary>The date Llama 3.1's template uses when none is given.</summary>
    public const string DefaultDateString = "26 Jul 2024";

    /// <summary>Creates the template.</summary>
    /// <param name="knowledgeDatePreamble">Write Llama 3.1's system preamble (knowledge cutoff and date).</param>
    /// <param name="dateString">The date in the preamble.</param>
    /// <param name="beginOfText">The BOS text written first.</param>
    public Llama3ChatTemplate(bool knowledgeDatePreamble = false, string dateString = DefaultDateString, string beginOfText = "<|begin_of_text|>")
    {
        ArgumentNullException.ThrowIfNull(dateString);
        ArgumentNullException.ThrowIfNull(beginOfText);
        KnowledgeDatePreamble = knowledgeDatePreamble;
        DateString = dateString;
        BeginOfText = beginOfText;
    }

    /// <summary>Whether the Llama 3.1 system preamble is written.</summary>
    public bool KnowledgeDatePreamble { get; }

    /// <summary>The date in the preamble.</summary>
    public string DateString { get; }

    /// <summary>The BOS text written at the start.</summary>
    public string BeginOfText { get; }

    /// <inheritdoc/>
    public override string Name => "llama3";

    /// <inheritdoc/>
    public override string EndOfTurn => "<|eot_id|>";

    /// <inheritdoc/>
    public override string Render(IReadOnlyList<ChatTurn> messages, bool addGenerationPrompt)
    {
        ValidateMessages(messages);
        var text = new StringBuilder();
        var first = 0;
        if (KnowledgeDatePreamble)
        {
            first = messages.Count > 0 && messages[0].Role == "system" ? 1 : 0;
            var system = first == 1 ? messages[0].Content.Trim() : string.Empty;
            text.Append(BeginOfText);
            AppendTurn(text, "system", $"Cutting Knowledge Date: December 2023\nToday Date: {DateString}\n\n{system}");
        }
        else if (messages.Count > 0)
        {
            text.Append(BeginOfText);
        }

        for (var i = first; i < messages.Count; i++)
        {
            AppendTurn(text, messages[i].Role, messages[i].Content.Trim());
        }

        if (addGenerationPrompt)
        {
            text.Append("<|start_header_id|>assistant<|end_header_id|>\n\n");
        }

        return text.ToString();
    }

    private static void AppendTurn(StringBuilder text, string role, string content)
        => text.Append("<|start_header_id|>").Append(role).Append("<|end_header_id|>\n\n").Append(content).Append("<|eot_id|>");
}
