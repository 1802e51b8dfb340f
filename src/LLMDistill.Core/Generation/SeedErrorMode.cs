namespace LLMDistill.Generation;

/// <summary>What a malformed seed line does.</summary>
public enum SeedErrorMode
{
    /// <summary>Report it with file:line and go on without it.</summary>
    Skip,

    /// <summary>Stop at start-up with file:line.</summary>
    Fail,
}
