namespace LLMDistill.Teachers;

/// <summary>One generated choice of a <see cref="LocalModel"/>.</summary>
/// <param name="Index">The choice's index (0 .. n-1).</param>
/// <param name="Text">The text, without special tokens and ending before a matched stop string.</param>
/// <param name="FinishReason"><c>stop</c> (a stop token or string) or <c>length</c>.</param>
/// <param name="TokenIds">Every generated id, including a final stop token.</param>
/// <param name="Logprobs">Per token (those that start before a stop string, including a stop token): text, bytes, id, logprob and alternatives; null when not asked for.</param>
/// <param name="TextOffsets">Where each token of <paramref name="Logprobs"/> starts in <paramref name="Text"/>, in Unicode code points.</param>
public sealed record LocalChoice(
    int Index,
    string Text,
    string FinishReason,
    IReadOnlyList<int> TokenIds,
    IReadOnlyList<TokenLogprob>? Logprobs,
    IReadOnlyList<int> TextOffsets);
