using System.Globalization;
using System.Text.RegularExpressions;

namespace LLMDistill.Teachers.Limits;

/// <summary>Parses the rate-limit headers of OpenAI-compatible servers: <c>Retry-After</c>, <c>retry-after-ms</c> and <c>x-ratelimit-*</c>.</summary>
internal static partial class RateLimitHeaders
{
    /// <summary>
    /// The wait a 429/5xx response asks for: <c>retry-after-ms</c> (milliseconds, preferred because it is finer), else
    /// <c>Retry-After</c> as delta-seconds or an HTTP date relative to <paramref name="now"/>. Null when absent or unparsable.
    /// </summary>
    /// <param name="header">Looks up a response header by name (case-insensitive), null when absent.</param>
    /// <param name="now">The current time, for the HTTP-date form.</param>
    public static TimeSpan? RetryAfter(Func<string, string?> header, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(header);
        if (header("retry-after-ms") is { } ms
            && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds) && milliseconds >= 0)
        {
            return TimeSpan.FromMilliseconds(milliseconds);
        }

        if (header("Retry-After") is not { } value)
        {
            return null;
        }

        value = value.Trim();
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return seconds >= 0 ? TimeSpan.FromSeconds(seconds) : null;
        }

        if (DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            || DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out date))
        {
            var wait = date - now;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    /// <summary>Reads the four <c>x-ratelimit-remaining/reset-requests/tokens</c> headers.</summary>
    /// <param name="header">Looks up a response header by name (case-insensitive), null when absent.</param>
    public static RateLimitSnapshot Snapshot(Func<string, string?> header)
    {
        ArgumentNullException.ThrowIfNull(header);
        return new RateLimitSnapshot(
            Count(header("x-ratelimit-remaining-requests")),
            Duration(header("x-ratelimit-reset-requests")),
            Count(header("x-ratelimit-remaining-tokens")),
            Duration(header("x-ratelimit-reset-tokens")));
    }

    /// <summary>
    /// Parses a reset duration: OpenAI's Go-style <c>1s</c>, <c>6m0s</c>, <c>20ms</c>, <c>1h2m3.5s</c>, or a bare number
    /// of seconds. Null when unparsable.
    /// </summary>
    public static TimeSpan? Duration(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        value = value.Trim();
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var bare))
        {
            return bare >= 0 ? TimeSpan.FromSeconds(bare) : null;
        }

        var total = 0.0;
        var consumed = 0;
        foreach (Match part in DurationPart().Matches(value))
        {
            if (part.Index != consumed)
            {
                return null;
            }

            var amount = double.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
            total += part.Groups[2].Value switch
            {
                "h" => amount * 3600,
                "m" => amount * 60,
                "s" => amount,
                "ms" => amount / 1000,
                "us" or "µs" => amount / 1e6,
                _ => amount / 1e9, // ns
            };
            consumed += part.Length;
        }

        return consumed == value.Length && consumed > 0 ? TimeSpan.FromSeconds(total) : null;
    }

    private static long? Count(string? value)
        => long.TryParse(value?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) && count >= 0 ? count : null;

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPart();
}
