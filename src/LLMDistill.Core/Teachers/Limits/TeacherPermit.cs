using System.Threading.RateLimiting;

namespace LLMDistill.Teachers.Limits;

/// <summary>Permission to send one request: holds a concurrency slot until disposed; settles the token estimate.</summary>
internal sealed class TeacherPermit : IDisposable
{
    private readonly RateLimitLease _slot;
    private readonly TokenBucketLimiter? _tokens;
    private readonly int _estimatedTokens;
    private int _settled;

    internal TeacherPermit(RateLimitLease slot, TokenBucketLimiter? tokens, int estimatedTokens)
    {
        _slot = slot;
        _tokens = tokens;
        _estimatedTokens = estimatedTokens;
    }

    /// <summary>Corrects the tokens-per-minute bucket by the difference between actual and estimated tokens (once).</summary>
    public void Settle(int actualTokens)
    {
        if (Interlocked.Exchange(ref _settled, 1) == 0 && actualTokens > 0)
        {
            _tokens?.Adjust(actualTokens - Math.Max(1, _estimatedTokens));
        }
    }

    /// <inheritdoc />
    public void Dispose() => _slot.Dispose();
}
