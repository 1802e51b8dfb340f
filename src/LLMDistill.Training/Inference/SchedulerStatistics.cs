namespace LLMDistill.Inference;

/// <summary>What a <see cref="GenerationScheduler"/> has done so far.</summary>
/// <param name="ForwardPasses">Model forward passes: prefills, decoding steps and scoring passes.</param>
/// <param name="Prefills">Prefill passes (each admits one or more new sequences).</param>
/// <param name="DecodeSteps">Decoding steps (one token for every live sequence).</param>
/// <param name="ScoringPasses">Teacher-forced scoring passes.</param>
/// <param name="Requests">Requests completed (generation and scoring, successful or not).</param>
/// <param name="GeneratedTokens">Tokens generated, over all sequences.</param>
/// <param name="MaxLiveRows">The most sequences decoded together in one step.</param>
public sealed record SchedulerStatistics(
    long ForwardPasses,
    long Prefills,
    long DecodeSteps,
    long ScoringPasses,
    long Requests,
    long GeneratedTokens,
    int MaxLiveRows);
