namespace LLMDistill.Inference;

/// <summary>
/// A token id and its log-probability under the model (natural log, temperature 1, before top-k/top-p). The API-level
/// record with text and bytes is <see cref="Teachers.TokenLogprob"/>.
/// </summary>
/// <param name="Id">Token id.</param>
/// <param name="Logprob">log p(token | prefix).</param>
public readonly record struct TokenIdLogprob(int Id, float Logprob);
