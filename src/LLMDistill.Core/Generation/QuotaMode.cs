namespace LLMDistill.Generation;

/// <summary>What a diversity quota counts.</summary>
public enum QuotaMode
{
    /// <summary>No quota.</summary>
    None,

    /// <summary>Samples per seed the task descends from.</summary>
    Seed,

    /// <summary>Samples per category.</summary>
    Category,
}
