namespace LLMDistill.Hub;

/// <summary>A categorised Hub failure. Its message is one line that names the repository, revision or file, and never contains the token.</summary>
public sealed class HubException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="category">The failure category.</param>
    /// <param name="message">One line saying what failed and what to do.</param>
    /// <param name="statusCode">The HTTP status, where there was one.</param>
    /// <param name="innerException">The underlying failure.</param>
    public HubException(HubErrorCategory category, string message, int? statusCode = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Category = category;
        StatusCode = statusCode;
    }

    /// <summary>Creates the exception.</summary>
    public HubException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public HubException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The underlying failure.</param>
    public HubException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The failure category.</summary>
    public HubErrorCategory Category { get; } = HubErrorCategory.InvalidResponse;

    /// <summary>The HTTP status, where there was one.</summary>
    public int? StatusCode { get; }
}
