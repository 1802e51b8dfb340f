using LLMDistill.Teachers;

namespace LLMDistill.Tokenization;

/// <summary>
/// The one tokenisation of a task and its answer, used by training and by evaluation so that evaluation scores exactly
/// the positions training teaches. Prompt ids and response ids are encoded apart and concatenated (the architecture
/// contract): the prompt is a chat task rendered with the chat template and its generation prompt (no extra BOS: the
/// template writes its own), or the raw text of a completion with the BOS that HF's <c>encode</c> adds; the response is
/// the answer, then the end-of-turn ids for chat.
/// </summary>
internal sealed class SampleEncoder
{
    private readonly ModelTokenizer _tokenizer;
    private readonly string? _systemPrompt;
    private readonly int[] _endOfTurn;

    /// <summary>Creates an encoder for one tokenizer.</summary>
    /// <param name="tokenizer">The model's tokenizer.</param>
    /// <param name="systemPrompt">Optional system message put before every chat task.</param>
    public SampleEncoder(ModelTokenizer tokenizer, string? systemPrompt = null)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        _tokenizer = tokenizer;
        _systemPrompt = string.IsNullOrEmpty(systemPrompt) ? null : systemPrompt;
        _endOfTurn = EndOfTurnIds(tokenizer);
    }

    /// <summary>The user message of a chat task: the instruction, then the input after a blank line when there is one.</summary>
    public static string UserMessage(string instruction, string? input)
        => string.IsNullOrWhiteSpace(input) ? instruction : instruction + "\n\n" + input;

    /// <summary>The messages of a chat task: the system message when there is one, then the user message.</summary>
    public static IReadOnlyList<ChatTurn> ChatTask(string instruction, string? input, string? systemPrompt)
    {
        var user = new ChatTurn("user", UserMessage(instruction, input));
        return string.IsNullOrEmpty(systemPrompt) ? [user] : [new ChatTurn("system", systemPrompt), user];
    }

    /// <summary>The prompt ids of a task.</summary>
    /// <param name="mode">Chat (rendered with the chat template) or completion (raw text continued).</param>
    /// <param name="instruction">The task, or the text to continue.</param>
    /// <param name="input">Optional extra input of a chat task.</param>
    /// <exception cref="NotSupportedException">A chat task and a tokenizer without a supported chat template.</exception>
    /// <exception cref="ArgumentException">The chat template cannot render the messages.</exception>
    public int[] Prompt(TeacherMode mode, string instruction, string? input)
    {
        ArgumentNullException.ThrowIfNull(instruction);
        if (mode != TeacherMode.Chat)
        {
            return [.. _tokenizer.Encode(instruction, _tokenizer.AddBosToken)];
        }

        var rendered = _tokenizer.ChatTemplate.Render(ChatTask(instruction, input, _systemPrompt), addGenerationPrompt: true);
        return [.. _tokenizer.Encode(rendered, addBos: false)];
    }

    /// <summary>The response ids of an answer: its tokens, then <see cref="EndOfTurn"/>.</summary>
    public int[] Response(TeacherMode mode, string answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return [.. _tokenizer.Encode(answer, addBos: false), .. EndOfTurn(mode)];
    }

    /// <summary>The ids that close a chat answer (so the student learns to stop); none for a completion.</summary>
    public IReadOnlyList<int> EndOfTurn(TeacherMode mode) => mode == TeacherMode.Chat ? _endOfTurn : [];

    private static int[] EndOfTurnIds(ModelTokenizer tokenizer)
    {
        try
        {
            var end = tokenizer.ChatTemplate.EndOfTurn;
            return end.Length == 0 ? [] : [.. tokenizer.Encode(end, addBos: false)];
        }
        catch (NotSupportedException)
        {
            return []; // no chat template: only completion samples can be encoded (Prompt fails for chat ones)
        }
    }
}
