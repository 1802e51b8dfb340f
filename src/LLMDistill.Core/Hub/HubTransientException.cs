namespace LLMDistill.Hub;

/// <summary>A failure worth retrying (408/429/5xx, a short or misaligned body); after the last retry it becomes a <see cref="HubException"/>.</summary>
internal sealed class HubTransientException : Exception
{
    public HubTransientException(string message, int? statusCode = null, TimeSpan? retryAfter = null)
        : base(message)
    {
        StatusCode = statusCode;
        RetryAfter = retryAfter;
    }

    public HubTransientException()
    {
    }

    public HubTransientException(string message)
        : base(message)
    {
    }

    public HubTransientException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The HTTP status, where there was one.</summary>
    public int? StatusCode { get; }

    /// <summary>The server's <c>Retry-After</c>, where it sent one.</summary>
    public TimeSpan? RetryAfter { get; }
}
