using Microsoft.Extensions.Logging;

namespace LLMDistill.Teachers;

/// <summary>Structured log messages of the teachers. None of them carries a request body, header or key.</summary>
internal static partial class TeacherLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Teacher {Teacher}: {Kind} at {Endpoint}, model {Model}, mode {Mode}, cache {Cache}")]
    public static partial void TeacherCreated(ILogger logger, string teacher, string kind, string endpoint, string model, TeacherMode mode, bool cache);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Teacher {Teacher}: attempt {Attempt} failed ({Category}, {Failure}): retrying in {DelayMs:F0} ms")]
    public static partial void RetryScheduled(ILogger logger, string teacher, int attempt, TeacherErrorCategory category, string failure, double delayMs);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Teacher {Teacher}: pausing requests for {Seconds:F2} s ({Reason})")]
    public static partial void RateLimitPause(ILogger logger, string teacher, double seconds, string reason);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Error, Message = "Teacher {Teacher}: circuit opened for {Seconds:F0} s after repeated failures")]
    public static partial void CircuitOpened(ILogger logger, string teacher, double seconds);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "Response cache entry {Path} is unreadable ({Reason}); it is ignored and will be rewritten")]
    public static partial void CacheEntryCorrupt(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "Response cache: could not write {Path}: {Reason}")]
    public static partial void CacheWriteFailed(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Warning, Message = "Teacher {Teacher}: budget reached ({SpentUsd:F4} of {BudgetUsd:F4} USD); no new requests are sent")]
    public static partial void BudgetReached(ILogger logger, string teacher, decimal spentUsd, decimal budgetUsd);
}
