namespace LLMDistill.Inference;

/// <summary>Settings of a <see cref="GenerationScheduler"/>.</summary>
/// <param name="MaxBatchSize">Most sequences decoded together (the rows of every admitted request, n choices each).</param>
/// <param name="Mode">Continuous (iteration-level) or dynamic (window) batching.</param>
/// <param name="BatchWindow">Dynamic mode: how long the first waiting request waits for others before its batch starts.</param>
/// <param name="MaxQueuedRows">Most sequences waiting for a slot; beyond it submissions fail fast with <see cref="SchedulerOverloadedException"/>.</param>
/// <param name="MaxScoringTokens">Most tokens (rows x longest row) in one teacher-forced scoring pass; a longer single request still runs alone.</param>
public sealed record SchedulerOptions(
    int MaxBatchSize = 64,
    BatchingMode Mode = BatchingMode.Continuous,
    TimeSpan BatchWindow = default,
    int MaxQueuedRows = 4096,
    int MaxScoringTokens = 32_768)
{
    /// <summary>Checks the ranges; messages name the setting and value.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void Validate()
    {
        if (MaxBatchSize < 1)
        {
            throw new ArgumentException($"max batch size must be >= 1 (got {MaxBatchSize})");
        }

        if (BatchWindow < TimeSpan.Zero)
        {
            throw new ArgumentException($"batch window must be >= 0 (got {BatchWindow})");
        }

        if (MaxQueuedRows < 1)
        {
            throw new ArgumentException($"max queued rows must be >= 1 (got {MaxQueuedRows})");
        }

        if (MaxScoringTokens < 1)
        {
            throw new ArgumentException($"max scoring tokens must be >= 1 (got {MaxScoringTokens})");
        }
    }
}
