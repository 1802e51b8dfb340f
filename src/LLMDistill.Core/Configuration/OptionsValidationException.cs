namespace LLMDistill.Configuration;

/// <summary>A configuration value is invalid; the message names the key (<c>Section:Key</c>).</summary>
public sealed class OptionsValidationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public OptionsValidationException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public OptionsValidationException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public OptionsValidationException(string message)
        : base(message)
    {
    }
}
