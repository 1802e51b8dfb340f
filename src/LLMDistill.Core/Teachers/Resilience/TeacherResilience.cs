using LLMDistill.Teachers.Limits;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace LLMDistill.Teachers.Resilience;

/// <summary>
/// Builds a teacher's Polly pipelines from its <see cref="TeacherOptions"/>: total timeout → retry (exponential
/// back-off with jitter; the server's Retry-After when it sends one) → circuit breaker. Only transient
/// <see cref="TeacherException"/>s (429, 408/409/5xx, timeouts, dropped connections) are retried or counted by the
/// breaker; bad requests, authentication, not found, content filter and malformed responses fail at once.
/// </summary>
internal static class TeacherResilience
{
    /// <summary>Builds the pipeline around whole attempts.</summary>
    /// <param name="teacher">The teacher name, for logs.</param>
    /// <param name="options">Retry, timeout and breaker settings.</param>
    /// <param name="limiter">Paused for a 429's Retry-After, so concurrent callers wait too.</param>
    /// <param name="timeProvider">The clock for delays and timeouts.</param>
    /// <param name="logger">Logs retries and an opening circuit.</param>
    /// <param name="totalTimeout">Whether to add the total timeout (streaming handles it itself, see <see cref="ResilientTeacherClient"/>).</param>
    public static ResiliencePipeline Create(string teacher, TeacherOptions options, TeacherRateLimiter? limiter, TimeProvider timeProvider, ILogger logger, bool totalTimeout)
    {
        ArgumentNullException.ThrowIfNull(options);
        var maxDelay = TimeSpan.FromSeconds(options.MaxRetryDelaySeconds);
        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider, Name = $"teacher-{teacher}" };
        if (totalTimeout)
        {
            builder.AddTimeout(TimeSpan.FromSeconds(options.TotalTimeoutSeconds));
        }

        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromSeconds(options.RetryBaseDelaySeconds),
                MaxDelay = maxDelay,
                ShouldHandle = args => ValueTask.FromResult(IsRetryable(args.Outcome.Exception, maxDelay)),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Exception is TeacherException { RetryAfter: { } after } ? after : (TimeSpan?)null),
                OnRetry = args =>
                {
                    var failure = (TeacherException)args.Outcome.Exception!;
                    if (failure is { Category: TeacherErrorCategory.RateLimited, RetryAfter: { } after })
                    {
                        limiter?.PauseFor(after, $"HTTP {failure.StatusCode} Retry-After");
                    }

                    TeacherLog.RetryScheduled(logger, teacher, args.AttemptNumber + 1, failure.Category, FailureKind.Of(failure), args.RetryDelay.TotalMilliseconds);
                    return default;
                },
            });
        }

        var breakDuration = TimeSpan.FromSeconds(options.CircuitBreakerBreakSeconds);
        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            FailureRatio = options.CircuitBreakerFailureRatio,
            MinimumThroughput = options.CircuitBreakerMinimumThroughput,
            SamplingDuration = TimeSpan.FromSeconds(options.CircuitBreakerSamplingSeconds),
            BreakDuration = breakDuration,
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is TeacherException { IsTransient: true }),
            OnOpened = _ =>
            {
                TeacherLog.CircuitOpened(logger, teacher, breakDuration.TotalSeconds);
                return default;
            },
        });
        return builder.Build();
    }

    /// <summary>Builds the per-attempt timeout, applied after the attempt has its rate-limit permit.</summary>
    public static ResiliencePipeline CreateAttemptTimeout(TeacherOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddTimeout(TimeSpan.FromSeconds(options.AttemptTimeoutSeconds))
            .Build();
    }

    /// <summary>Transient, and not asking for a longer wait than we are willing to honour.</summary>
    internal static bool IsRetryable(Exception? exception, TimeSpan maxDelay)
        => exception is TeacherException { IsTransient: true } failure && (failure.RetryAfter is null || failure.RetryAfter <= maxDelay);
}
