namespace LLMDistill.Evaluation.Speed;

/// <summary>Generation speed of one model on one device.</summary>
/// <param name="TokensPerSecond">Generated tokens per second of a batch of <paramref name="BatchSize"/> rows.</param>
/// <param name="LatencyPerTokenMs">Wall time per generated token of a single row, prefill included, in milliseconds.</param>
/// <param name="BatchSize">Rows of the throughput run.</param>
/// <param name="PromptTokens">Prompt tokens of each row.</param>
/// <param name="NewTokens">Tokens generated per row.</param>
/// <param name="Device">Where it ran, e.g. "cpu" or "cuda:0".</param>
public sealed record SpeedMeasurement(double TokensPerSecond, double LatencyPerTokenMs, int BatchSize, int PromptTokens, int NewTokens, string Device);
