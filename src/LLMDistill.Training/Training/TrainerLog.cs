using Microsoft.Extensions.Logging;

namespace LLMDistill.Training;

/// <summary>Structured log messages of the trainer (build-nanogpt's one line per interval).</summary>
internal static partial class TrainerLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "train: {Summary}")]
    public static partial void Started(ILogger logger, string summary);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information,
        Message = "step {Step,6}/{Total} | loss {Loss:F4} | lr {Lr:E3} | grad-norm {GradNorm:F3} | {TokensPerSecond:F0} tok/s | eta {EtaSeconds:F0} s")]
    public static partial void Step(ILogger logger, long step, long total, double loss, double lr, double gradNorm, double tokensPerSecond, double etaSeconds);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "eval at step {Step}: loss {Loss:F4} {Parts}")]
    public static partial void Evaluated(ILogger logger, long step, double loss, string parts);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Information, Message = "checkpoint at step {Step}: {Directory}")]
    public static partial void CheckpointSaved(ILogger logger, long step, string directory);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Information, Message = "resumed from {Directory} at step {Step}")]
    public static partial void Resumed(ILogger logger, string directory, long step);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Information, Message = "student exported to {Directory} after {Steps} steps ({Seconds:F1} s)")]
    public static partial void Completed(ILogger logger, string directory, long steps, double seconds);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Warning, Message = "cancelled at step {Step}: {What}")]
    public static partial void Cancelled(ILogger logger, long step, string what);
}
