using LLMDistill.Evaluation.TokenMetrics;

namespace LLMDistill.Evaluation.TeacherForced;

/// <summary>What one teacher-forced pass measured.</summary>
/// <param name="Sequences">Sequences scored.</param>
/// <param name="Positions">Response positions scored (per model).</param>
/// <param name="Perplexity">Perplexity of every model, in model order.</param>
/// <param name="Calibration">Calibration of every model (top probability vs top token = actual next token), in model order.</param>
/// <param name="Agreement">Agreement and divergences of every requested pair, in pair order.</param>
public sealed record TeacherForcedResult(
    int Sequences,
    long Positions,
    IReadOnlyList<PerplexityMetrics> Perplexity,
    IReadOnlyList<CalibrationMetrics> Calibration,
    IReadOnlyList<TokenAgreementMetrics> Agreement);
