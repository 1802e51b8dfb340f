using LLMDistill.Training.Metrics;

namespace LLMDistill.Training;

/// <summary>The outcome of a completed training run.</summary>
/// <param name="Steps">Optimizer steps completed (the configured total).</param>
/// <param name="OutputDirectory">The run directory (metrics, checkpoints).</param>
/// <param name="StudentDirectory">The exported student (Hugging Face layout: model.safetensors, config.json, tokenizer files).</param>
/// <param name="LastCheckpoint">The final checkpoint directory.</param>
/// <param name="LastTrain">The last train metrics line, if any was written.</param>
/// <param name="LastEval">The last held-out evaluation, if any.</param>
/// <param name="TokensSeen">Real tokens trained on (including earlier runs of a resumed one).</param>
/// <param name="ElapsedSeconds">Training wall time (including earlier runs of a resumed one).</param>
public sealed record TrainingResult(
    long Steps,
    string OutputDirectory,
    string StudentDirectory,
    string LastCheckpoint,
    TrainingMetrics? LastTrain,
    TrainingMetrics? LastEval,
    long TokensSeen,
    double ElapsedSeconds);
