using Microsoft.Extensions.Logging;

namespace LLMDistill.Evaluation;

/// <summary>Structured log messages of the evaluation.</summary>
internal static partial class EvalLog
{
    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Eval: {Samples} samples from {Data} ({Kind}); students {Students}; teachers {Teachers}; device {Device}")]
    public static partial void Started(ILogger logger, int samples, string data, string kind, string students, string teachers, string device);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "Eval: {Stage} done in {Seconds:0.0} s")]
    public static partial void StageDone(ILogger logger, string stage, double seconds);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Information, Message = "Eval: {Note}")]
    public static partial void Note(ILogger logger, string note);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Information, Message = "Eval: wrote {Metrics}, {Markdown}, {Html} in {Seconds:0.0} s")]
    public static partial void Written(ILogger logger, string metrics, string markdown, string html, double seconds);
}
