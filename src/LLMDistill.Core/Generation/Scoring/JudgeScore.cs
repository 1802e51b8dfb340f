namespace LLMDistill.Generation.Scoring;

/// <summary>A parsed rubric judge reply: the 1–10 teaching-value score of one sample (not the pairwise <c>Evaluation.Judge.JudgeVerdict</c>).</summary>
/// <param name="RawScore">The score on the rubric's 1–10 scale.</param>
/// <param name="Rationale">The judge's reason, if it gave one.</param>
public sealed record JudgeScore(double RawScore, string? Rationale)
{
    /// <summary>The score mapped to [0, 1].</summary>
    public double Normalized => Math.Clamp((RawScore - 1) / 9.0, 0, 1);
}
