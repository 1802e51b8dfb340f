using LLMDistill.Teachers;

namespace LLMDistill.Generation;

/// <summary>A snapshot of a running generation, for the live display and periodic log lines.</summary>
/// <param name="Elapsed">Time since the run started.</param>
/// <param name="Target">Samples wanted.</param>
/// <param name="Kept">Samples written (including those found on disk when resuming).</param>
/// <param name="Rejected">Candidates rejected.</param>
/// <param name="Counts">Per-stage counts (seeds, generated, deduplicated, admitted, answered, judged, ...).</param>
/// <param name="Rejections">Rejections per reason.</param>
/// <param name="Usage">Requests, tokens and cost per teacher.</param>
/// <param name="KeptPerSecond">Samples written per second in this process.</param>
/// <param name="Eta">Estimated time to the target at the current rate, or null when unknown.</param>
public sealed record GenerationProgress(
    TimeSpan Elapsed,
    int Target,
    long Kept,
    long Rejected,
    IReadOnlyDictionary<string, long> Counts,
    IReadOnlyDictionary<string, long> Rejections,
    IReadOnlyList<TeacherUsageReport> Usage,
    double KeptPerSecond,
    TimeSpan? Eta)
{
    /// <summary>Total tokens of all teachers.</summary>
    public long Tokens => Usage.Sum(u => u.PromptTokens + u.CompletionTokens);

    /// <summary>Total cost of all teachers.</summary>
    public decimal CostUsd => Usage.Sum(u => u.CostUsd);
}
