namespace LLMDistill.Teachers;

/// <summary>A streamed piece of one choice. The last piece of a choice carries its finish reason and token count.</summary>
/// <param name="Choice">The choice's index.</param>
/// <param name="Text">New text (may be empty: a stop token, a partial character, or text held back while a stop string might complete).</param>
/// <param name="Logprobs">The tokens released with this piece (empty unless logprobs were asked for).</param>
/// <param name="TextOffsets">Code-point offsets of those tokens in the choice's text.</param>
/// <param name="FinishReason"><c>stop</c> or <c>length</c> on the choice's last piece, else null.</param>
/// <param name="CompletionTokens">On the last piece: tokens the choice generated.</param>
public sealed record LocalCompletionDelta(
    int Choice,
    string Text,
    IReadOnlyList<TokenLogprob> Logprobs,
    IReadOnlyList<int> TextOffsets,
    string? FinishReason,
    int? CompletionTokens);
