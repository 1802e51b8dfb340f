namespace LLMDistill.Evaluation.Report;

/// <summary>Size and speed of one model, measured on the same device as the others.</summary>
/// <param name="Model">The model's name.</param>
/// <param name="Role">"student" or "teacher".</param>
/// <param name="Parameters">Parameter count, where known.</param>
/// <param name="BytesOnDisk">Checkpoint size in bytes, where known.</param>
/// <param name="TokensPerSecond">Generation throughput.</param>
/// <param name="LatencyPerTokenMs">Mean time per generated token in milliseconds.</param>
/// <param name="Device">Where it was measured (e.g. "cpu", "cuda:0").</param>
public sealed record EfficiencyMetrics(
    string Model,
    string Role,
    long? Parameters = null,
    long? BytesOnDisk = null,
    double? TokensPerSecond = null,
    double? LatencyPerTokenMs = null,
    string? Device = null);
