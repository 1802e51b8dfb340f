namespace LLMDistill.Evaluation.Judge;

/// <summary>A judge's verdict for one ordering: which position won.</summary>
public enum JudgeVerdict
{
    /// <summary>The first answer (A) is better.</summary>
    A,

    /// <summary>The second answer (B) is better.</summary>
    B,

    /// <summary>Neither is better.</summary>
    Tie,
}
