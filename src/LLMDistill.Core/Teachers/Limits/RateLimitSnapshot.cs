namespace LLMDistill.Teachers.Limits;

/// <summary>What a server said about its limits in one response's <c>x-ratelimit-*</c> headers (null where absent).</summary>
/// <param name="RemainingRequests">x-ratelimit-remaining-requests.</param>
/// <param name="ResetRequests">x-ratelimit-reset-requests: time until the request budget is full again.</param>
/// <param name="RemainingTokens">x-ratelimit-remaining-tokens.</param>
/// <param name="ResetTokens">x-ratelimit-reset-tokens.</param>
internal readonly record struct RateLimitSnapshot(long? RemainingRequests, TimeSpan? ResetRequests, long? RemainingTokens, TimeSpan? ResetTokens)
{
    /// <summary>True when no header was present.</summary>
    public bool IsEmpty => RemainingRequests is null && RemainingTokens is null;
}

/// <summary>Receives the rate-limit headers a raw client sees, so the client-side limits slow down before a 429.</summary>
internal interface IRateLimitFeedback
{
    /// <summary>Called after every response that carried rate-limit headers.</summary>
    void Observe(RateLimitSnapshot snapshot);
}
