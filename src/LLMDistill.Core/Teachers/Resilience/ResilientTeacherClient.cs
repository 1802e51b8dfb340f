using System.Runtime.CompilerServices;
using LLMDistill.Teachers.Decorators;
using LLMDistill.Teachers.Limits;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace LLMDistill.Teachers.Resilience;

/// <summary>
/// Runs every operation of any <see cref="ITeacherClient"/> under the teacher's Polly pipeline and client-side limits.
/// Each attempt first takes a permit (concurrency slot, request and token budget), then runs under the attempt
/// timeout, so time spent queueing for a permit never counts as a timed-out attempt and every retry is paced too.
/// </summary>
internal sealed class ResilientTeacherClient : TeacherClientDecorator
{
    private readonly TeacherOptions _options;
    private readonly TeacherRateLimiter _limiter;
    private readonly TimeProvider _timeProvider;
    private readonly ResiliencePipeline _pipeline;
    private readonly ResiliencePipeline _streamPipeline;
    private readonly ResiliencePipeline _attemptTimeout;

    public ResilientTeacherClient(ITeacherClient inner, TeacherOptions options, TeacherRateLimiter limiter, TimeProvider timeProvider, ILogger logger)
        : base(inner)
    {
        _options = options;
        _limiter = limiter;
        _timeProvider = timeProvider;
        _pipeline = TeacherResilience.Create(inner.Name, options, limiter, timeProvider, logger, totalTimeout: true);
        _streamPipeline = TeacherResilience.Create(inner.Name, options, limiter, timeProvider, logger, totalTimeout: false);
        _attemptTimeout = TeacherResilience.CreateAttemptTimeout(options, timeProvider);
    }

    /// <inheritdoc />
    public override Task<TeacherResponse> CompleteAsync(TeacherRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ExecuteAsync(
            TokenEstimator.RequestTokens(request),
            ct => Inner.CompleteAsync(request, ct),
            response => response.Usage.TotalTokens,
            cancellationToken);
    }

    /// <inheritdoc />
    public override Task<TeacherScore> ScoreWithUsageAsync(string context, string continuation, int topLogprobs, CancellationToken cancellationToken)
        => ExecuteAsync(
            TokenEstimator.Estimate(context) + TokenEstimator.Estimate(continuation) + 1,
            ct => InnerScoreAsync(context, continuation, topLogprobs, ct),
            score => score.Usage.TotalTokens,
            cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// Only opening the stream and receiving its first delta is retried: after that, text has reached the caller.
    /// The token given to a stream must live as long as the stream, which Polly's pooled timeout tokens do not, so
    /// the attempt and total timeouts here are cancellation sources on the same <see cref="TimeProvider"/>; the attempt
    /// timeout is disarmed once the first delta arrives.
    /// </remarks>
    public override async IAsyncEnumerable<TeacherStreamDelta> StreamAsync(TeacherRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var total = new CancellationTokenSource(TimeSpan.FromSeconds(_options.TotalTimeoutSeconds), _timeProvider);
        using var linkedTotal = CancellationTokenSource.CreateLinkedTokenSource(total.Token, cancellationToken);
        var attemptSources = new List<CancellationTokenSource>();
        StreamStart start;
        try
        {
            start = await Translate(() => _streamPipeline.ExecuteAsync(
                async ct => await OpenStreamAsync(request, attemptSources, ct),
                linkedTotal.Token).AsTask(), total, cancellationToken);
        }
        catch
        {
            DisposeAll(attemptSources);
            throw;
        }

        try
        {
            yield return start.First;
            while (true)
            {
                var more = await Translate(() => start.Deltas.MoveNextAsync().AsTask(), total, cancellationToken);
                if (!more)
                {
                    break;
                }

                if (start.Deltas.Current.Usage is { } usage)
                {
                    start.Permit.Settle(usage.TotalTokens);
                }

                yield return start.Deltas.Current;
            }
        }
        finally
        {
            await start.Deltas.DisposeAsync();
            start.Permit.Dispose();
            DisposeAll(attemptSources);
        }
    }

    private async Task<T> ExecuteAsync<T>(int estimatedTokens, Func<CancellationToken, Task<T>> call, Func<T, int> actualTokens, CancellationToken cancellationToken)
    {
        return await Translate(
            () => _pipeline.ExecuteAsync(
                async ct =>
                {
                    using var permit = await _limiter.AcquireAsync(estimatedTokens, ct);
                    var result = await AttemptAsync(call, ct);
                    permit.Settle(actualTokens(result));
                    return result;
                },
                cancellationToken).AsTask(),
            null,
            cancellationToken);
    }

    private async Task<T> AttemptAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await _attemptTimeout.ExecuteAsync(async ct => await call(ct), cancellationToken);
        }
        catch (TimeoutRejectedException ex)
        {
            throw AttemptTimedOut(ex);
        }
    }

    private async Task<StreamStart> OpenStreamAsync(TeacherRequest request, List<CancellationTokenSource> sources, CancellationToken cancellationToken)
    {
        var permit = await _limiter.AcquireAsync(TokenEstimator.RequestTokens(request), cancellationToken);
        var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(_options.AttemptTimeoutSeconds), _timeProvider);
        var linked = CancellationTokenSource.CreateLinkedTokenSource(attempt.Token, cancellationToken);
        sources.Add(attempt);
        sources.Add(linked);
        var deltas = InnerStreamAsync(request, linked.Token).GetAsyncEnumerator(linked.Token);
        try
        {
            if (!await deltas.MoveNextAsync())
            {
                throw new TeacherException(Name, TeacherErrorCategory.MalformedResponse, "the stream ended without any delta");
            }

            attempt.CancelAfter(Timeout.InfiniteTimeSpan); // the answer is flowing: only the total timeout applies now
            return new StreamStart(deltas, deltas.Current, permit);
        }
        catch (OperationCanceledException ex) when (attempt.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            await deltas.DisposeAsync();
            permit.Dispose();
            throw AttemptTimedOut(ex);
        }
        catch
        {
            await deltas.DisposeAsync();
            permit.Dispose();
            throw;
        }
    }

    // Turns Polly's own exceptions into categorised teacher errors; cancellation by the caller propagates as is.
    private async Task<T> Translate<T>(Func<Task<T>> action, CancellationTokenSource? total, CancellationToken cancellationToken)
    {
        try
        {
            return await action();
        }
        catch (TimeoutRejectedException ex)
        {
            throw TotalTimedOut(ex);
        }
        catch (OperationCanceledException ex) when (total is { IsCancellationRequested: true } && !cancellationToken.IsCancellationRequested)
        {
            throw TotalTimedOut(ex);
        }
        catch (BrokenCircuitException ex)
        {
            throw new TeacherException(Name, TeacherErrorCategory.CircuitOpen,
                $"too many transient failures; requests are refused for {_options.CircuitBreakerBreakSeconds:0.#} s", null, ex);
        }
        catch (TeacherException ex) when (ex.IsTransient && ex.RetryAfter is { } after && after.TotalSeconds > _options.MaxRetryDelaySeconds)
        {
            throw new TeacherException(Name, ex.Category,
                $"the server asked to wait {after.TotalSeconds:0.#} s, longer than {Key("MaxRetryDelaySeconds")} ({_options.MaxRetryDelaySeconds:0.#} s)", ex.StatusCode, ex)
            { RetryAfter = after };
        }
    }

    private TeacherException AttemptTimedOut(Exception inner)
        => new(Name, TeacherErrorCategory.Unavailable, $"no response within {Key("AttemptTimeoutSeconds")} ({_options.AttemptTimeoutSeconds:0.###} s)", null, inner);

    private TeacherException TotalTimedOut(Exception inner)
        => new(Name, TeacherErrorCategory.Unavailable, $"gave up after {Key("TotalTimeoutSeconds")} ({_options.TotalTimeoutSeconds:0.###} s) including retries", null, inner);

    private string Key(string key) => $"{TeacherOptions.SectionPrefix}:{Name}:{key}";

    private static void DisposeAll(List<CancellationTokenSource> sources)
    {
        foreach (var source in sources)
        {
            source.Dispose();
        }
    }

    private sealed record StreamStart(IAsyncEnumerator<TeacherStreamDelta> Deltas, TeacherStreamDelta First, TeacherPermit Permit);
}
