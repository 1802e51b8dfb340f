using System.Text.Json;
using LLMDistill.Teachers.Limits;

namespace LLMDistill.Teachers.OpenAi;

/// <summary>Turns HTTP failures of OpenAI-compatible servers into categorised <see cref="TeacherException"/>s.</summary>
internal static class OpenAiErrors
{
    private const int MaxMessageLength = 500;

    /// <summary>
    /// Maps an error status: 400/422 bad request (content-filter codes: content filter), 401/403 authentication,
    /// 404 not found, 408/409/5xx unavailable, 429 rate limited (<c>insufficient_quota</c>: budget exhausted, since
    /// waiting does not help). Retry-After is attached to every transient error.
    /// </summary>
    /// <param name="teacher">The teacher name.</param>
    /// <param name="status">HTTP status.</param>
    /// <param name="body">The response body, if any.</param>
    /// <param name="header">Response header lookup.</param>
    /// <param name="now">Current time, for HTTP-date Retry-After values.</param>
    /// <param name="scrubber">Removes secrets from the server's message.</param>
    public static TeacherException FromStatus(string teacher, int status, string? body, Func<string, string?> header, DateTimeOffset now, SecretScrubber scrubber)
    {
        ArgumentNullException.ThrowIfNull(scrubber);
        var (message, code) = ReadError(body);
        var category = status switch
        {
            400 or 422 when IsContentFilter(code, message) => TeacherErrorCategory.ContentFilter,
            400 or 413 or 422 => TeacherErrorCategory.BadRequest,
            401 or 403 => TeacherErrorCategory.Authentication,
            404 => TeacherErrorCategory.NotFound,
            429 when code == "insufficient_quota" => TeacherErrorCategory.BudgetExhausted,
            429 => TeacherErrorCategory.RateLimited,
            408 or 409 or >= 500 => TeacherErrorCategory.Unavailable,
            _ => TeacherErrorCategory.BadRequest,
        };

        var text = $"HTTP {status}" + (message is null ? "" : $": {Truncate(scrubber.Scrub(message))}");
        var retryAfter = category is TeacherErrorCategory.RateLimited or TeacherErrorCategory.Unavailable
            ? RateLimitHeaders.RetryAfter(header, now)
            : null;
        return new TeacherException(teacher, category, text, status) { RetryAfter = retryAfter };
    }

    /// <summary>A connection that failed, dropped or timed out before a complete response: transient.</summary>
    public static TeacherException FromTransport(string teacher, Exception exception, SecretScrubber scrubber)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(scrubber);
        var reason = exception is OperationCanceledException ? "the network timeout elapsed" : scrubber.Scrub(Innermost(exception).Message);
        return new TeacherException(teacher, TeacherErrorCategory.Unavailable, $"connection failed: {reason}", null, exception);
    }

    /// <summary>A response whose body is not what the API promises: a server bug, so it is not retried.</summary>
    public static TeacherException Malformed(string teacher, string what, Exception exception)
        => new(teacher, TeacherErrorCategory.MalformedResponse, $"malformed {what} response: {exception.Message}", null, exception);

    private static (string? Message, string? Code) ReadError(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return (null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var error = JsonFields.Optional(root, "error");
            var holder = error.ValueKind == JsonValueKind.Object ? error : root;
            var message = JsonFields.OptionalString(holder, "message") ?? (error.ValueKind == JsonValueKind.String ? error.GetString() : null);
            var code = JsonFields.OptionalString(holder, "code") ?? JsonFields.OptionalString(holder, "type");
            var inner = JsonFields.OptionalString(JsonFields.Optional(holder, "innererror"), "code");
            return (message ?? body, inner ?? code);
        }
        catch (JsonException)
        {
            return (body, null); // plain-text error bodies (proxies, llama.cpp) are shown as they are
        }
    }

    private static bool IsContentFilter(string? code, string? message)
        => code is "content_filter" or "content_policy_violation" or "ResponsibleAIPolicyViolation"
            || (message?.Contains("content management policy", StringComparison.OrdinalIgnoreCase) ?? false);

    private static string Truncate(string text)
    {
        text = text.ReplaceLineEndings(" ").Trim();
        return text.Length <= MaxMessageLength ? text : string.Concat(text.AsSpan(0, MaxMessageLength), "…");
    }

    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is { } inner)
        {
            exception = inner;
        }

        return exception;
    }
}
