namespace LLMDistill.Generation.Scoring;

/// <summary>A parsed judge reply.</summary>
/// <param name="RawScore">The score on the rubric's 1–10 scale.</param>
/// <param name="Rationale">The judge's reason, if it gave one.</param>
public sealed record JudgeVerdict(double RawScore, string? Rationale)
{
    /// <summary>The score mapped to [0, 1].</summary>
    public double Normalized => Math.Clamp((RawScore - 1) / 9.0, 0, 1);
}
