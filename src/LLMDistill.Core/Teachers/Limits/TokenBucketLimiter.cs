using System.Threading.RateLimiting;

namespace LLMDistill.Teachers.Limits;

/// <summary>
/// A token bucket on an injected <see cref="TimeProvider"/> that refills continuously (not in timer steps), serves
/// waiters in arrival order, may run into debt (a request larger than the bucket waits for a full bucket and then
/// overdraws it), can be corrected after the fact (<see cref="Adjust"/>: estimated vs. actual tokens) and can be told
/// what the server reports (<see cref="Clamp"/>). The framework's TokenBucketRateLimiter
/// has neither debt nor refunds, which a tokens-per-minute limit needs.
/// </summary>
internal sealed class TokenBucketLimiter : RateLimiter
{
    private readonly TimeProvider _timeProvider;
    private readonly double _capacity;
    private readonly double _perSecond;
    private readonly SemaphoreSlim _queue = new(1, 1); // one waiter at the head; the rest queue behind it
    private readonly Lock _lock = new();
    private double _available;
    private long _lastRefill;
    private long _successful;
    private long _failed;
    private int _queued;

    /// <summary>Creates a full bucket.</summary>
    /// <param name="capacity">Largest burst, in permits.</param>
    /// <param name="perMinute">Refill rate, in permits per minute.</param>
    /// <param name="timeProvider">The clock.</param>
    public TokenBucketLimiter(double capacity, double perMinute, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perMinute);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _capacity = capacity;
        _perSecond = perMinute / 60.0;
        _timeProvider = timeProvider;
        _available = capacity;
        _lastRefill = timeProvider.GetTimestamp();
    }

    /// <summary>Permits available now (negative while in debt).</summary>
    public double Available
    {
        get
        {
            lock (_lock)
            {
                Refill(_timeProvider.GetTimestamp());
                return _available;
            }
        }
    }

    /// <inheritdoc />
    public override TimeSpan? IdleDuration => null;

    /// <summary>Charges (positive) or refunds (negative) permits after the fact, e.g. actual minus estimated tokens.</summary>
    public void Adjust(double delta)
    {
        lock (_lock)
        {
            Refill(_timeProvider.GetTimestamp());
            _available = Math.Min(_capacity, _available - delta);
        }
    }

    /// <summary>Lowers the available permits to what the server says remain (never raises them).</summary>
    public void Clamp(double remaining)
    {
        lock (_lock)
        {
            Refill(_timeProvider.GetTimestamp());
            _available = Math.Min(_available, Math.Max(0, remaining));
        }
    }

    /// <inheritdoc />
    public override RateLimiterStatistics? GetStatistics() => new()
    {
        CurrentAvailablePermits = (long)Math.Floor(Available),
        CurrentQueuedCount = Volatile.Read(ref _queued),
        TotalSuccessfulLeases = Interlocked.Read(ref _successful),
        TotalFailedLeases = Interlocked.Read(ref _failed),
    };

    /// <inheritdoc />
    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(permitCount);
        lock (_lock)
        {
            if (_queue.CurrentCount > 0 && TryTake(permitCount, _timeProvider.GetTimestamp(), out _))
            {
                Interlocked.Increment(ref _successful);
                return Lease.Acquired;
            }
        }

        Interlocked.Increment(ref _failed);
        return Lease.Rejected;
    }

    /// <inheritdoc />
    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(permitCount);
        Interlocked.Increment(ref _queued);
        try
        {
            await _queue.WaitAsync(cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _queued);
        }

        try
        {
            while (true)
            {
                TimeSpan wait;
                lock (_lock)
                {
                    if (TryTake(permitCount, _timeProvider.GetTimestamp(), out wait))
                    {
                        Interlocked.Increment(ref _successful);
                        return Lease.Acquired;
                    }
                }

                await Task.Delay(wait, _timeProvider, cancellationToken);
            }
        }
        finally
        {
            _queue.Release();
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _queue.Dispose();
        }

        base.Dispose(disposing);
    }

    // Caller holds _lock. A request larger than the bucket needs a full bucket, then overdraws it.
    private bool TryTake(int permits, long now, out TimeSpan wait)
    {
        Refill(now);
        var needed = Math.Min(permits, _capacity);
        if (_available >= needed)
        {
            _available -= permits;
            wait = TimeSpan.Zero;
            return true;
        }

        // At least a millisecond, so rounding cannot spin.
        wait = TimeSpan.FromSeconds(Math.Max((needed - _available) / _perSecond, 0.001));
        return false;
    }

    private void Refill(long now)
    {
        var elapsed = _timeProvider.GetElapsedTime(_lastRefill, now).TotalSeconds;
        if (elapsed > 0)
        {
            _available = Math.Min(_capacity, _available + (elapsed * _perSecond));
            _lastRefill = now;
        }
    }

    /// <summary>A lease without metadata: nothing to give back, because permits refill with time.</summary>
    private sealed class Lease(bool acquired) : RateLimitLease
    {
        public static readonly Lease Acquired = new(true);
        public static readonly Lease Rejected = new(false);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
