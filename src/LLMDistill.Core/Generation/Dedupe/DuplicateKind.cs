namespace LLMDistill.Generation.Dedupe;

/// <summary>What kind of duplicate a text is.</summary>
public enum DuplicateKind
{
    /// <summary>Not a duplicate.</summary>
    None,

    /// <summary>Same normalised text.</summary>
    Exact,

    /// <summary>ROUGE-L at or above the threshold.</summary>
    Near,
}
