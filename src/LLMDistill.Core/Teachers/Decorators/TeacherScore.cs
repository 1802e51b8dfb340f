namespace LLMDistill.Teachers.Decorators;

/// <summary>A scoring result with what it cost, so the decorators can account for and cache scores.</summary>
/// <param name="Tokens">One entry per continuation token.</param>
/// <param name="Model">The model that scored, as reported.</param>
/// <param name="Usage">Tokens billed.</param>
/// <param name="FromCache">True when served from the response cache.</param>
internal sealed record TeacherScore(IReadOnlyList<TokenLogprob> Tokens, string Model, TokenUsage Usage, bool FromCache = false);

/// <summary>Scoring that also reports usage; implemented by the OpenAI-compatible client and every decorator.</summary>
internal interface IScoreWithUsage
{
    /// <summary>Scores <paramref name="continuation"/> after <paramref name="context"/>, reporting usage.</summary>
    Task<TeacherScore> ScoreWithUsageAsync(string context, string continuation, int topLogprobs, CancellationToken cancellationToken);
}
