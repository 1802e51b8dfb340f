namespace LLMDistill.Cli.Serving;

/// <summary>A failure after a stream has started: the status is already 200, so the error goes out as a last event.</summary>
internal sealed class StreamFailure : Exception
{
    public StreamFailure(ServerSentEvents events, Exception innerException)
        : base(innerException.Message, innerException)
    {
        Events = events;
    }

    public StreamFailure()
    {
        Events = null!;
    }

    public StreamFailure(string message)
        : base(message)
    {
        Events = null!;
    }

    public StreamFailure(string message, Exception innerException)
        : base(message, innerException)
    {
        Events = null!;
    }

    public ServerSentEvents Events { get; }
}
