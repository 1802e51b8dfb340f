namespace LLMDistill.Teachers.Decorators;

/// <summary>
/// Base of the decorators the factory stacks around a raw client (cache, accounting, limits and resilience). Each
/// decorator implements all three operations; the factory's outermost view exposes only those the raw client has.
/// </summary>
internal abstract class TeacherClientDecorator : IStreamingTeacherClient, IScoringTeacherClient, IScoreWithUsage
{
    protected TeacherClientDecorator(ITeacherClient inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        Inner = inner;
    }

    /// <inheritdoc />
    public string Name => Inner.Name;

    /// <inheritdoc />
    public TeacherCapabilities Capabilities => Inner.Capabilities;

    /// <summary>The wrapped client.</summary>
    protected ITeacherClient Inner { get; }

    /// <inheritdoc />
    public abstract Task<TeacherResponse> CompleteAsync(TeacherRequest request, CancellationToken cancellationToken);

    /// <inheritdoc />
    public abstract IAsyncEnumerable<TeacherStreamDelta> StreamAsync(TeacherRequest request, CancellationToken cancellationToken);

    /// <inheritdoc />
    public abstract Task<TeacherScore> ScoreWithUsageAsync(string context, string continuation, int topLogprobs, CancellationToken cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<TokenLogprob>> ScoreAsync(string context, string continuation, int topLogprobs, CancellationToken cancellationToken)
        => (await ScoreWithUsageAsync(context, continuation, topLogprobs, cancellationToken)).Tokens;

    /// <summary>Streams from the inner client.</summary>
    /// <exception cref="NotSupportedException">The inner client cannot stream.</exception>
    protected IAsyncEnumerable<TeacherStreamDelta> InnerStreamAsync(TeacherRequest request, CancellationToken cancellationToken)
        => Inner is IStreamingTeacherClient streaming
            ? streaming.StreamAsync(request, cancellationToken)
            : throw new NotSupportedException($"teacher '{Name}' cannot stream");

    /// <summary>Scores with the inner client; a plain <see cref="IScoringTeacherClient"/> is billed its scored tokens as prompt tokens.</summary>
    /// <exception cref="NotSupportedException">The inner client cannot score.</exception>
    protected async Task<TeacherScore> InnerScoreAsync(string context, string continuation, int topLogprobs, CancellationToken cancellationToken)
    {
        switch (Inner)
        {
            case IScoreWithUsage withUsage:
                return await withUsage.ScoreWithUsageAsync(context, continuation, topLogprobs, cancellationToken);
            case IScoringTeacherClient scoring:
                var tokens = await scoring.ScoreAsync(context, continuation, topLogprobs, cancellationToken);
                var prompt = TokenEstimator.Estimate(context) + tokens.Count;
                return new TeacherScore(tokens, Name, new TokenUsage(prompt, 0));
            default:
                throw new NotSupportedException($"teacher '{Name}' cannot score text");
        }
    }
}
