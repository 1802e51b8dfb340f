namespace LLMDistill.Pipeline;

/// <summary>Which teaching-value signal of a sample (<see cref="Data.TeachingScores"/>) ranks it for the filtered subset; higher ranks first.</summary>
public enum SelectionSignal
{
    /// <summary>The combined score the generator computed (the weighted mean of the available parts, <c>Generate:Score</c>).</summary>
    Combined,

    /// <summary>The LLM judge's rubric score.</summary>
    Judge,

    /// <summary>The teacher's perplexity of its own answer, highest first (the least predictable answers).</summary>
    Perplexity,

    /// <summary>IFD = PPL(answer | prompt) / PPL(answer), highest first (the prompt helps least).</summary>
    Ifd,

    /// <summary>The length/format checks.</summary>
    Format,

    /// <summary>
    /// The combined score, taken best first with a representation-distance constraint (DEITA's Repr Filter,
    /// <c>Run:Diversity</c>): a sample is added only when it is far enough from every sample already chosen.
    /// </summary>
    DiverseCombined,

    /// <summary>
    /// No score: a seeded random order (<c>Run:Seed</c>) under the same distance constraint as <see cref="DiverseCombined"/>,
    /// so the subset covers the data as evenly as the representation can tell (coverage only).
    /// </summary>
    Diverse,
}
