namespace LLMDistill.Inference;

/// <summary>One generated token with its optional log-probabilities.</summary>
/// <param name="Id">The chosen token id.</param>
/// <param name="Logprob">Its log-probability, or null when the row did not ask for logprobs.</param>
/// <param name="TopLogprobs">The most likely tokens at this step, best first, or null when not asked for.</param>
public sealed record GeneratedToken(int Id, float? Logprob, IReadOnlyList<TokenIdLogprob>? TopLogprobs);
