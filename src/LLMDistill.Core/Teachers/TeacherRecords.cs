namespace LLMDistill.Teachers;

/// <summary>Whether a request is a chat conversation (instruct models) or a raw prompt to continue (base models).</summary>
public enum TeacherMode
{
    /// <summary>Chat messages, rendered with the model's chat template.</summary>
    Chat,

    /// <summary>A raw text prompt the model continues.</summary>
    Completion,
}

/// <summary>One chat message.</summary>
/// <param name="Role">system, user or assistant.</param>
/// <param name="Content">The message text.</param>
public sealed record ChatTurn(string Role, string Content);

/// <summary>Sampling parameters; they are part of the cache key and of every sample's provenance.</summary>
public sealed record SamplingParameters(
    float Temperature = 0.7f,
    float TopP = 1.0f,
    int MaxTokens = 256,
    int? Seed = null,
    IReadOnlyList<string>? Stop = null);

/// <summary>A request to a teacher. Exactly one of <see cref="Messages"/> (chat) and <see cref="Prompt"/> (completion) is set.</summary>
/// <param name="Messages">Chat conversation, for <see cref="TeacherMode.Chat"/>.</param>
/// <param name="Prompt">Raw prompt, for <see cref="TeacherMode.Completion"/>.</param>
/// <param name="Sampling">Sampling parameters.</param>
/// <param name="TopLogprobs">How many alternatives per position to return (0 = no logprobs; APIs allow up to 20).</param>
/// <param name="N">Number of choices.</param>
/// <param name="JsonSchema">Optional JSON schema for structured output (judge); ignored where unsupported.</param>
public sealed record TeacherRequest(
    IReadOnlyList<ChatTurn>? Messages,
    string? Prompt,
    SamplingParameters Sampling,
    int TopLogprobs = 0,
    int N = 1,
    string? JsonSchema = null)
{
    /// <summary>The mode implied by which input is set.</summary>
    public TeacherMode Mode => Messages is not null ? TeacherMode.Chat : TeacherMode.Completion;
}

/// <summary>One alternative at a position: token text, its UTF-8 bytes, log-probability, and id where known (local teachers).</summary>
public sealed record TopLogprob(string Token, IReadOnlyList<byte>? Bytes, double Logprob, int? TokenId = null);

/// <summary>The chosen token at one position with the teacher's top alternatives there.</summary>
public sealed record TokenLogprob(string Token, IReadOnlyList<byte>? Bytes, double Logprob, IReadOnlyList<TopLogprob> Top, int? TokenId = null);

/// <summary>Token counts of one request.</summary>
public readonly record struct TokenUsage(int PromptTokens, int CompletionTokens)
{
    /// <summary>Prompt plus completion tokens.</summary>
    public int TotalTokens => PromptTokens + CompletionTokens;

    /// <summary>Adds two usages.</summary>
    public static TokenUsage operator +(TokenUsage a, TokenUsage b) => new(a.PromptTokens + b.PromptTokens, a.CompletionTokens + b.CompletionTokens);
}

/// <summary>One answer of a teacher.</summary>
/// <param name="Text">The generated text.</param>
/// <param name="FinishReason">stop, length, content_filter, ...</param>
/// <param name="Logprobs">Per-token logprobs when requested and offered; null otherwise.</param>
public sealed record TeacherChoice(string Text, string FinishReason, IReadOnlyList<TokenLogprob>? Logprobs);

/// <summary>A teacher's response.</summary>
/// <param name="Teacher">The configured teacher name.</param>
/// <param name="Model">The model that answered (as reported by the endpoint).</param>
/// <param name="Choices">The choices, at least one.</param>
/// <param name="Usage">Token usage, for accounting.</param>
/// <param name="FromCache">True when served from the response cache (no HTTP call, no cost).</param>
public sealed record TeacherResponse(string Teacher, string Model, IReadOnlyList<TeacherChoice> Choices, TokenUsage Usage, bool FromCache = false)
{
    /// <summary>The first choice's text.</summary>
    public string Text => Choices[0].Text;
}

/// <summary>A streamed piece of an answer.</summary>
public sealed record TeacherStreamDelta(string Text, TokenLogprob? Logprob, string? FinishReason, TokenUsage? Usage);

/// <summary>What a teacher supports.</summary>
/// <param name="Chat">Accepts chat requests.</param>
/// <param name="Completion">Accepts raw completion requests.</param>
/// <param name="MaxTopLogprobs">Largest top_logprobs it returns (0 = none).</param>
/// <param name="FullLogits">A local model whose full distributions are available (token-level KD during training).</param>
/// <param name="StructuredOutput">Honours a JSON schema response format.</param>
public sealed record TeacherCapabilities(bool Chat, bool Completion, int MaxTopLogprobs, bool FullLogits, bool StructuredOutput);
