namespace LLMDistill.Evaluation.TokenMetrics;

/// <summary>Perplexity of one model on held-out tokens.</summary>
/// <param name="Model">The model's name.</param>
/// <param name="Tokens">Tokens scored.</param>
/// <param name="MeanNll">Mean negative log-likelihood per token in nats.</param>
/// <param name="Perplexity">exp(MeanNll).</param>
/// <param name="BitsPerToken">MeanNll / ln 2.</param>
public sealed record PerplexityMetrics(string Model, long Tokens, double MeanNll, double Perplexity, double BitsPerToken);
