namespace LLMDistill.Generation.Seeds;

/// <summary>A seed file or line is malformed; the message starts with <c>file:line</c>.</summary>
public sealed class SeedFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SeedFormatException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public SeedFormatException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public SeedFormatException(string message)
        : base(message)
    {
    }
}
