namespace LLMDistill.Tests.Fixtures.OpenAiServer;

/// <summary>How the scripted server breaks a reply.</summary>
public enum ScriptedFault
{
    /// <summary>A normal reply.</summary>
    None,

    /// <summary>Abort the connection without any response.</summary>
    DropConnection,

    /// <summary>Send the status and headers and the first half of the body (or of a stream's events), then abort.</summary>
    DropMidBody,
}
