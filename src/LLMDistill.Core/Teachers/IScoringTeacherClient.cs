namespace LLMDistill.Teachers;

/// <summary>
/// A teacher that can score given text instead of generating it: the log-probability of each token of a
/// continuation given a context (OpenAI-compatible completions with <c>echo</c>, or a local model's logits).
/// Used for the likelihood signals of teaching value: answer perplexity and IFD = PPL(answer | instruction) / PPL(answer).
/// </summary>
public interface IScoringTeacherClient : ITeacherClient
{
    /// <summary>Log-probabilities of the tokens of <paramref name="continuation"/> after <paramref name="context"/>.</summary>
    /// <param name="context">Text the continuation is conditioned on; empty for the unconditional score.</param>
    /// <param name="continuation">The text to score.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>One natural-log probability per continuation token, in order.</returns>
    Task<IReadOnlyList<double>> ScoreAsync(string context, string continuation, CancellationToken cancellationToken);
}
