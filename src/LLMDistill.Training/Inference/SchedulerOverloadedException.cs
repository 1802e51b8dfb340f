namespace LLMDistill.Inference;

/// <summary>The scheduler's queue is full; the request was not accepted (HTTP 503 in <c>serve</c>, a transient teacher error).</summary>
public sealed class SchedulerOverloadedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SchedulerOverloadedException()
        : base("the model is overloaded: too many requests are waiting")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public SchedulerOverloadedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public SchedulerOverloadedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
