using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;

namespace LLMDistill.Teachers.Limits;

/// <summary>
/// The client-side limits of one teacher: max concurrency (<see cref="ConcurrencyLimiter"/>), requests per minute and
/// tokens per minute (<see cref="TokenBucketLimiter"/>), plus a shared pause that 429s and exhausted
/// <c>x-ratelimit-remaining-*</c> headers set, so every caller slows down, not only the one that was refused.
/// </summary>
internal sealed class TeacherRateLimiter : IRateLimitFeedback, IDisposable
{
    private readonly string _teacher;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ConcurrencyLimiter _concurrency;
    private readonly TokenBucketLimiter? _requests;
    private readonly TokenBucketLimiter? _tokens;
    private readonly Lock _pauseLock = new();
    private long _pausedUntil;

    /// <summary>Creates the limits from a teacher's options.</summary>
    public TeacherRateLimiter(string teacher, TeacherOptions options, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _teacher = teacher;
        _timeProvider = timeProvider;
        _logger = logger;
        _pausedUntil = timeProvider.GetTimestamp();
        _concurrency = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = options.MaxConcurrency,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });

        // Bursts of at most one second's worth, so a minute's budget is not spent in the first instant.
        if (options.RequestsPerMinute > 0)
        {
            _requests = new TokenBucketLimiter(Math.Max(1, options.RequestsPerMinute / 60.0), options.RequestsPerMinute, timeProvider);
        }

        if (options.TokensPerMinute > 0)
        {
            _tokens = new TokenBucketLimiter(Math.Max(1, options.TokensPerMinute / 60.0), options.TokensPerMinute, timeProvider);
        }
    }

    /// <summary>Requests that may start now under the requests-per-minute limit (null when there is none).</summary>
    internal double? AvailableRequests => _requests?.Available;

    /// <summary>Tokens that may be spent now under the tokens-per-minute limit (null when there is none).</summary>
    internal double? AvailableTokens => _tokens?.Available;

    /// <summary>Waits for a concurrency slot, the end of any pause, a request permit and <paramref name="estimatedTokens"/> tokens.</summary>
    /// <param name="estimatedTokens">Prompt plus maximum completion tokens, estimated before the call.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A permit to dispose when the call is over; <see cref="TeacherPermit.Settle"/> corrects the token estimate.</returns>
    public async ValueTask<TeacherPermit> AcquireAsync(int estimatedTokens, CancellationToken cancellationToken)
    {
        // Concurrency first: waiting for a rate permit while holding a slot is harmless, whereas taking rate permits
        // and then queueing for a slot would let the permits pile up and go out as a burst.
        var slot = await _concurrency.AcquireAsync(1, cancellationToken);
        try
        {
            await WaitForPauseAsync(cancellationToken);
            if (_requests is not null)
            {
                using var _ = await _requests.AcquireAsync(1, cancellationToken);
            }

            if (_tokens is not null)
            {
                using var _ = await _tokens.AcquireAsync(Math.Max(1, estimatedTokens), cancellationToken);
            }

            return new TeacherPermit(slot, _tokens, estimatedTokens);
        }
        catch
        {
            slot.Dispose();
            throw;
        }
    }

    /// <summary>Stops granting permits for <paramref name="delay"/> (a 429's Retry-After).</summary>
    public void PauseFor(TimeSpan delay, string reason)
    {
        if (delay <= TimeSpan.Zero)
        {
            return;
        }

        var until = _timeProvider.GetTimestamp() + (long)(delay.TotalSeconds * _timeProvider.TimestampFrequency);
        lock (_pauseLock)
        {
            if (until <= _pausedUntil)
            {
                return;
            }

            _pausedUntil = until;
        }

        TeacherLog.RateLimitPause(_logger, _teacher, delay.TotalSeconds, reason);
    }

    /// <inheritdoc />
    public void Observe(RateLimitSnapshot snapshot)
    {
        if (snapshot.RemainingRequests is { } requests)
        {
            _requests?.Clamp(requests);
            if (requests == 0 && snapshot.ResetRequests is { } reset)
            {
                PauseFor(reset, "x-ratelimit-remaining-requests is 0");
            }
        }

        if (snapshot.RemainingTokens is { } tokens)
        {
            _tokens?.Clamp(tokens);
            if (tokens == 0 && snapshot.ResetTokens is { } reset)
            {
                PauseFor(reset, "x-ratelimit-remaining-tokens is 0");
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _concurrency.Dispose();
        _requests?.Dispose();
        _tokens?.Dispose();
    }

    private async ValueTask WaitForPauseAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            long until;
            lock (_pauseLock)
            {
                until = _pausedUntil;
            }

            var now = _timeProvider.GetTimestamp();
            if (now >= until)
            {
                return;
            }

            await Task.Delay(_timeProvider.GetElapsedTime(now, until), _timeProvider, cancellationToken);
        }
    }
}
