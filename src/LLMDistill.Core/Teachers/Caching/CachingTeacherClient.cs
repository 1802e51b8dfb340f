using System.Runtime.CompilerServices;
using System.Text;
using LLMDistill.Teachers.Accounting;
using LLMDistill.Teachers.Decorators;

namespace LLMDistill.Teachers.Caching;

/// <summary>
/// Serves repeated requests from the on-disk cache, so re-runs and resumed runs never pay twice. A streamed answer is
/// stored once it is complete and a cached one is replayed as deltas (text first, then one delta per remaining
/// logprob). Hits are counted on the teacher's meter at no cost; the response is marked <see cref="TeacherResponse.FromCache"/>.
/// </summary>
internal sealed class CachingTeacherClient : TeacherClientDecorator
{
    private readonly TeacherResponseCache _cache;
    private readonly TeacherCacheKey _keys;
    private readonly TeacherMeter _meter;
    private readonly string _model;

    /// <summary>Creates the decorator.</summary>
    /// <param name="inner">The wrapped client.</param>
    /// <param name="cache">This teacher's cache.</param>
    /// <param name="keys">This teacher's key maker.</param>
    /// <param name="meter">Counts cache hits.</param>
    /// <param name="model">The configured model, recorded with streamed answers (deltas do not carry it).</param>
    public CachingTeacherClient(ITeacherClient inner, TeacherResponseCache cache, TeacherCacheKey keys, TeacherMeter meter, string model)
        : base(inner)
    {
        _cache = cache;
        _keys = keys;
        _meter = meter;
        _model = model;
    }

    /// <inheritdoc />
    public override async Task<TeacherResponse> CompleteAsync(TeacherRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var key = _keys.ForRequest(request);
        if (await _cache.TryGetAsync<TeacherResponse>(key, r => IsValid(r, request.N), cancellationToken) is { } cached)
        {
            _meter.RecordCacheHit();
            return cached with { FromCache = true };
        }

        var response = await Inner.CompleteAsync(request, cancellationToken);
        await _cache.StoreAsync(key, response with { FromCache = false }, cancellationToken);
        return response;
    }

    /// <inheritdoc />
    public override async Task<TeacherScore> ScoreWithUsageAsync(string context, string continuation, int topLogprobs, CancellationToken cancellationToken)
    {
        var key = _keys.ForScore(context, continuation, topLogprobs);
        if (await _cache.TryGetAsync<TeacherScore>(key, s => s.Tokens is not null, cancellationToken) is { } cached)
        {
            _meter.RecordCacheHit();
            return cached with { FromCache = true };
        }

        var score = await InnerScoreAsync(context, continuation, topLogprobs, cancellationToken);
        await _cache.StoreAsync(key, score with { FromCache = false }, cancellationToken);
        return score;
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<TeacherStreamDelta> StreamAsync(TeacherRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var key = _keys.ForRequest(request);
        if (await _cache.TryGetAsync<TeacherResponse>(key, r => IsValid(r, 1), cancellationToken) is { } cached)
        {
            _meter.RecordCacheHit();
            foreach (var delta in Replay(cached))
            {
                yield return delta;
            }

            yield break;
        }

        var text = new StringBuilder();
        var logprobs = new List<TokenLogprob>();
        string? finishReason = null;
        TokenUsage? usage = null;
        await foreach (var delta in InnerStreamAsync(request, cancellationToken).WithCancellation(cancellationToken))
        {
            text.Append(delta.Text);
            if (delta.Logprob is { } logprob)
            {
                logprobs.Add(logprob);
            }

            finishReason = delta.FinishReason ?? finishReason;
            usage = delta.Usage ?? usage;
            yield return delta;
        }

        // Only a stream that ran to its end is a complete answer worth keeping.
        if (finishReason is not null && usage is { } total)
        {
            var choice = new TeacherChoice(text.ToString(), finishReason, request.TopLogprobs > 0 ? logprobs : null);
            await _cache.StoreAsync(key, new TeacherResponse(Name, _model, [choice], total), cancellationToken);
        }
    }

    /// <summary>The deltas that replay a cached single-choice response.</summary>
    internal static IEnumerable<TeacherStreamDelta> Replay(TeacherResponse response)
    {
        var choice = response.Choices[0];
        var logprobs = choice.Logprobs ?? [];
        yield return new TeacherStreamDelta(choice.Text, logprobs.Count > 0 ? logprobs[0] : null, null, null);
        for (var i = 1; i < logprobs.Count; i++)
        {
            yield return new TeacherStreamDelta("", logprobs[i], null, null);
        }

        yield return new TeacherStreamDelta("", null, choice.FinishReason, response.Usage);
    }

    private static bool IsValid(TeacherResponse response, int choices)
        => response.Choices is { } list && list.Count == choices && list.All(c => c is { Text: not null, FinishReason: not null });
}
