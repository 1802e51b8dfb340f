namespace LLMDistill.Pipeline;

/// <summary>Kinds of <see cref="JobProgress"/>.</summary>
public enum JobProgressKind
{
    /// <summary>A stage starts (or resumes).</summary>
    Started,

    /// <summary>A stage's output is complete for the same configuration; it is not run again.</summary>
    Skipped,

    /// <summary>The running stage reports its own progress (see the stage-specific property).</summary>
    Progress,

    /// <summary>A stage finished.</summary>
    Completed,
}
