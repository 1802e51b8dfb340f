namespace LLMDistill.Generation.Dedupe;

/// <summary>The result of checking a text against the kept texts.</summary>
/// <param name="Kind">Unique, exact duplicate or near duplicate.</param>
/// <param name="MatchKey">Key of the kept text it duplicates (null when unique).</param>
/// <param name="Score">ROUGE-L F-measure with that text (1 for exact duplicates, 0 when unique).</param>
public readonly record struct DedupeVerdict(DuplicateKind Kind, string? MatchKey, double Score)
{
    /// <summary>A unique text.</summary>
    public static DedupeVerdict Unique { get; } = new(DuplicateKind.None, null, 0);
}
