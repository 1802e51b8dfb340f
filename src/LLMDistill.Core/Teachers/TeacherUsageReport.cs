namespace LLMDistill.Teachers;

/// <summary>What one teacher has consumed so far.</summary>
/// <param name="Teacher">The configured teacher name.</param>
/// <param name="Requests">Requests answered (including cache hits).</param>
/// <param name="CacheHits">Requests answered from the response cache (no HTTP call, no cost).</param>
/// <param name="PromptTokens">Prompt tokens billed.</param>
/// <param name="CompletionTokens">Completion tokens billed.</param>
/// <param name="CostUsd">Cost from the configured prices.</param>
public sealed record TeacherUsageReport(string Teacher, long Requests, long CacheHits, long PromptTokens, long CompletionTokens, decimal CostUsd);
