namespace LLMDistill.Evaluation.Judge;

/// <summary>The student's result for one pair, from one ordering or from both combined.</summary>
public enum PairOutcome
{
    /// <summary>The student's answer is better.</summary>
    Win,

    /// <summary>Neither is better (or the two orderings disagree).</summary>
    Tie,

    /// <summary>The teacher's answer is better.</summary>
    Loss,

    /// <summary>No usable verdict: the judge failed or its reply could not be parsed.</summary>
    Unjudged,
}
