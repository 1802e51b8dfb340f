using LLMDistill.Training.Metrics;

namespace LLMDistill.Training;

/// <summary>A progress report of <see cref="TrainingService"/>, delivered synchronously on the training thread.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Step">Optimizer steps completed.</param>
/// <param name="TotalSteps">Steps of the whole run.</param>
/// <param name="Metrics">The metrics line of a <see cref="TrainingProgressKind.Step"/> or <see cref="TrainingProgressKind.Evaluation"/>.</param>
/// <param name="EtaSeconds">Estimated seconds to the end (steps only).</param>
/// <param name="Message">Human-readable detail (the start-up summary, the checkpoint path, ...).</param>
public sealed record TrainingProgress(TrainingProgressKind Kind, long Step, long TotalSteps, TrainingMetrics? Metrics = null, double? EtaSeconds = null, string? Message = null);
