namespace LLMDistill.Teachers;

/// <summary>User-facing text of an exception: an <see cref="ArgumentException"/>'s message without the " (Parameter 'x')" suffix .NET appends.</summary>
internal static class ErrorText
{
    public static string Of(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var message = exception.Message;
        if (exception is ArgumentException { ParamName: { } name })
        {
            var suffix = $" (Parameter '{name}')";
            if (message.EndsWith(suffix, StringComparison.Ordinal))
            {
                message = message[..^suffix.Length];
            }
        }

        return message;
    }
}
