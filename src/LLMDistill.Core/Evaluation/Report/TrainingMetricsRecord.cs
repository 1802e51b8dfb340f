using System.Text.Json.Serialization;

namespace LLMDistill.Evaluation.Report;

/// <summary>
/// One line of the trainer's <c>metrics.jsonl</c> (the contract in docs/architecture.md); every field but
/// <see cref="Step"/> may be missing.
/// </summary>
/// <param name="Step">Optimizer step.</param>
/// <param name="Split">"train" or "eval".</param>
/// <param name="Loss">Total loss.</param>
/// <param name="Parts">Loss parts by name (e.g. ce, kl).</param>
/// <param name="Lr">Learning rate.</param>
/// <param name="Temperature">Distillation temperature.</param>
/// <param name="Alpha">Hinton's α when the trainer runs an α schedule: the weight of the hard-label cross-entropy, with the soft (distillation) terms scaled by 1 − α.</param>
/// <param name="TokensPerSecond">Training throughput.</param>
/// <param name="ElapsedSeconds">Wall time since the start of training.</param>
public sealed record TrainingMetricsRecord(
    [property: JsonPropertyName("step")] int Step,
    [property: JsonPropertyName("split")] string Split = "train",
    [property: JsonPropertyName("loss")] double? Loss = null,
    [property: JsonPropertyName("parts")] IReadOnlyDictionary<string, double>? Parts = null,
    [property: JsonPropertyName("lr")] double? Lr = null,
    [property: JsonPropertyName("temperature")] double? Temperature = null,
    [property: JsonPropertyName("alpha")] double? Alpha = null,
    [property: JsonPropertyName("tokens_per_second")] double? TokensPerSecond = null,
    [property: JsonPropertyName("elapsed_seconds")] double? ElapsedSeconds = null);
