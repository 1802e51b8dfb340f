using Microsoft.Extensions.Logging;

namespace LLMDistill.Generation;

/// <summary>Structured log messages of the generation pipeline.</summary>
internal static partial class GenerationLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "generate: mode {Mode}, target {Target}, {Seeds} seeds, expand={Expand}, answer={Answer}, judge={Judge}, scoring={Scoring}, out {Output}, config {ConfigHash}")]
    public static partial void Starting(ILogger logger, string mode, int target, int seeds, string expand, string answer, string judge, string scoring, string output, string configHash);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "seed line skipped: {Problem}")]
    public static partial void SeedSkipped(ILogger logger, string problem);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "resuming {Output}: {Kept} samples and {Rejected} rejections on disk, {Journal} expansion requests journaled")]
    public static partial void Resuming(ILogger logger, string output, long kept, long rejected, int journal);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "{Output} is already complete ({Kept} samples); nothing to do")]
    public static partial void AlreadyComplete(ILogger logger, string output, long kept);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "expansion request {Key} failed: {Reason}")]
    public static partial void ExpansionFailed(ILogger logger, string key, string reason);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Warning, Message = "expansion stalled: rounds up to {Round} added nothing new for {Rounds} rounds")]
    public static partial void ExpansionStalled(ILogger logger, int round, int rounds);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Debug, Message = "task {Key}: teacher {Teacher} failed: {Reason}")]
    public static partial void AnswerFailed(ILogger logger, string key, string teacher, string reason);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Information, Message = "target of {Target} samples reached")]
    public static partial void TargetReached(ILogger logger, int target);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Information, Message = "generate finished: {Kept} kept, {Rejected} rejected, complete={Complete}, {Seconds:F1}s")]
    public static partial void Finished(ILogger logger, long kept, long rejected, bool complete, double seconds);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Error, Message = "generate stopped by an error; samples written so far are intact: {Reason}")]
    public static partial void Failed(ILogger logger, string reason);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Warning, Message = "generate interrupted; rerun the same command to resume ({Kept} samples written)")]
    public static partial void Interrupted(ILogger logger, long kept);
}
