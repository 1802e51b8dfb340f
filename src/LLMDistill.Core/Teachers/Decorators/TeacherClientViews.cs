namespace LLMDistill.Teachers.Decorators;

/// <summary>
/// The factory's outermost wrapper: it implements exactly the interfaces the raw client has, so callers can rely on
/// <c>teacher is IScoringTeacherClient</c> while the decorators underneath implement everything.
/// </summary>
internal static class TeacherClientViews
{
    /// <summary>Wraps <paramref name="chain"/> in the view matching what <paramref name="raw"/> can do.</summary>
    public static ITeacherClient Create(TeacherClientDecorator chain, ITeacherClient raw)
    {
        var streaming = raw is IStreamingTeacherClient && (raw as ITeacherFeatures)?.CanStream != false;
        var scoring = raw is IScoringTeacherClient && (raw as ITeacherFeatures)?.CanScore != false;
        return (streaming, scoring) switch
        {
            (true, true) => new FullView(chain),
            (true, false) => new StreamingView(chain),
            (false, true) => new ScoringView(chain),
            _ => new PlainView(chain),
        };
    }

    private class PlainView(TeacherClientDecorator chain) : ITeacherClient
    {
        protected TeacherClientDecorator Chain { get; } = chain;

        public string Name => Chain.Name;

        public TeacherCapabilities Capabilities => Chain.Capabilities;

        public Task<TeacherResponse> CompleteAsync(TeacherRequest request, CancellationToken cancellationToken)
            => Chain.CompleteAsync(request, cancellationToken);

        public override string ToString() => $"teacher '{Name}'";
    }

    private sealed class StreamingView(TeacherClientDecorator chain) : PlainView(chain), IStreamingTeacherClient
    {
        public IAsyncEnumerable<TeacherStreamDelta> StreamAsync(TeacherRequest request, CancellationToken cancellationToken)
            => Chain.StreamAsync(request, cancellationToken);
    }

    private sealed class ScoringView(TeacherClientDecorator chain) : PlainView(chain), IScoringTeacherClient
    {
        public Task<IReadOnlyList<TokenLogprob>> ScoreAsync(string context, string continuation, int topLogprobs, CancellationToken cancellationToken)
            => Chain.ScoreAsync(context, continuation, topLogprobs, cancellationToken);
    }

    private sealed class FullView(TeacherClientDecorator chain) : PlainView(chain), IStreamingTeacherClient, IScoringTeacherClient
    {
        public IAsyncEnumerable<TeacherStreamDelta> StreamAsync(TeacherRequest request, CancellationToken cancellationToken)
            => Chain.StreamAsync(request, cancellationToken);

        public Task<IReadOnlyList<TokenLogprob>> ScoreAsync(string context, string continuation, int topLogprobs, CancellationToken cancellationToken)
            => Chain.ScoreAsync(context, continuation, topLogprobs, cancellationToken);
    }
}
