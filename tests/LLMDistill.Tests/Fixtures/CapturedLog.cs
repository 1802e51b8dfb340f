using Microsoft.Extensions.Logging;

namespace LLMDistill.Tests.Fixtures;

/// <summary>One captured log line.</summary>
public sealed record CapturedLog(string Category, LogLevel Level, int EventId, string Message, string Values, string? Exception)
{
    /// <inheritdoc />
    public override string ToString() => $"[{Level}] {Category} {EventId}: {Message} | {Values} | {Exception}";
}
