namespace LLMDistill.Teachers;

/// <summary>
/// A teacher that can score given text instead of generating it: the log-probability of each token of a
/// continuation given a context (OpenAI-compatible completions with <c>echo</c>, or a local model's logits).
/// Used for the likelihood signals of teaching value (answer perplexity, IFD = PPL(answer | instruction) / PPL(answer))
/// and, with <c>topLogprobs</c> &gt; 0, for token-level targets of an answer another teacher wrote (multi-teacher mixtures).
/// </summary>
public interface IScoringTeacherClient : ITeacherClient
{
    /// <summary>Scores the tokens of <paramref name="continuation"/> after <paramref name="context"/>.</summary>
    /// <param name="context">Text the continuation is conditioned on; empty for the unconditional score.</param>
    /// <param name="continuation">The text to score.</param>
    /// <param name="topLogprobs">How many alternatives to return per position (0 = only the tokens' own logprobs).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>One entry per continuation token, in order: the token, its natural-log probability and the top alternatives.</returns>
    Task<IReadOnlyList<TokenLogprob>> ScoreAsync(string context, string continuation, int topLogprobs, CancellationToken cancellationToken);
}
