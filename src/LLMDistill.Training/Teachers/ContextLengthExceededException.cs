namespace LLMDistill.Teachers;

/// <summary>A prompt plus the tokens asked for do not fit the model's context (HTTP 400 <c>context_length_exceeded</c> in <c>serve</c>).</summary>
public sealed class ContextLengthExceededException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    public ContextLengthExceededException()
        : base("the request does not fit the model's context")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public ContextLengthExceededException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ContextLengthExceededException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
