using System.Net.Http;
using System.Net.Sockets;
using Polly.Timeout;

namespace LLMDistill.Teachers.Resilience;

/// <summary>
/// A short name for what went wrong in one attempt, for the retry log: the HTTP status where the server answered,
/// otherwise what the innermost cause says (<c>ConnectionRefused</c>, <c>ResponseEnded</c>, <c>attempt timeout</c>, ...),
/// so a connection error does not read as <c>HTTP (null)</c>.
/// </summary>
internal static class FailureKind
{
    /// <summary>Names the failure of <paramref name="failure"/>.</summary>
    /// <param name="failure">A failed attempt.</param>
    /// <returns><c>HTTP 503</c>, <c>ConnectionRefused</c>, <c>attempt timeout</c>, ...</returns>
    public static string Of(TeacherException failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        if (failure.StatusCode is { } status)
        {
            return $"HTTP {status}";
        }

        // Polly keeps the cancellation it caught inside its timeout exception, so look for the timeout along the whole chain.
        for (var cause = failure.InnerException; cause is not null; cause = cause.InnerException)
        {
            if (cause is TimeoutRejectedException)
            {
                return "attempt timeout";
            }
        }

        // The SDKs wrap transport errors (ClientResultException -> HttpRequestException -> SocketException): the innermost is the most specific.
        return failure.InnerException?.GetBaseException() switch
        {
            null => "no response",
            SocketException socket => socket.SocketErrorCode.ToString(),
            HttpRequestException { HttpRequestError: not HttpRequestError.Unknown } http => http.HttpRequestError.ToString(),
            OperationCanceledException => "timeout", // the caller's own cancellation is never retried, so this is a timeout
            var innermost => innermost.GetType().Name,
        };
    }
}
