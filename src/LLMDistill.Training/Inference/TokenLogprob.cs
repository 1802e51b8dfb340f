namespace LLMDistill.Inference;

/// <summary>A token id and its log-probability under the model (natural log, temperature 1, before top-k/top-p).</summary>
/// <param name="Id">Token id.</param>
/// <param name="Logprob">log p(token | prefix).</param>
public readonly record struct TokenLogprob(int Id, float Logprob);
