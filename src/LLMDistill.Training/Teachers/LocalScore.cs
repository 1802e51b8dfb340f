namespace LLMDistill.Teachers;

/// <summary>Teacher-forced log-probabilities of a token sequence.</summary>
/// <param name="Tokens">One entry per token: text, bytes, id, logprob (NaN for the first token, which has no context) and alternatives.</param>
/// <param name="TextOffsets">Where each token starts in <paramref name="Text"/>, in Unicode code points.</param>
/// <param name="Text">The sequence's text (special tokens written out; a BOS the tokenizer added contributes none).</param>
public sealed record LocalScore(IReadOnlyList<TokenLogprob> Tokens, IReadOnlyList<int> TextOffsets, string Text);
