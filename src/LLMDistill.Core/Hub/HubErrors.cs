using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace LLMDistill.Hub;

/// <summary>
/// Turns HTTP answers and network failures into one-line, categorised errors. The Hub sends <c>X-Error-Code</c>
/// (<c>RepoNotFound</c>, <c>RevisionNotFound</c>, <c>EntryNotFound</c>, <c>GatedRepo</c>), as <c>huggingface_hub</c> reads it.
/// </summary>
internal static class HubErrors
{
    private const string TokenHelp = "set HF_TOKEN to a Hugging Face access token that can read it (https://huggingface.co/settings/tokens)";

    /// <summary>The exception for a non-success answer: <see cref="HubTransientException"/> for 408/429/5xx, else a <see cref="HubException"/>.</summary>
    public static Exception FromResponse(HttpResponseMessage response, HubRequestContext context, Uri endpoint, bool hasToken)
    {
        var status = (int)response.StatusCode;
        var reason = $"{status} {response.ReasonPhrase}".TrimEnd();
        var code = Header(response, "X-Error-Code");
        if (status is 408 or 429 or >= 500)
        {
            return new HubTransientException($"the server answered {reason}", status, RetryAfter(response.Headers.RetryAfter));
        }

        var what = context.File is null ? $"repository '{context.RepoId}'" : $"file '{context.File}' of repository '{context.RepoId}'";
        if (status is 401 or 403)
        {
            var gated = code == "GatedRepo" || status == 403;
            var message = hasToken
                ? $"access to {what} was denied ({reason}): the token in HF_TOKEN is invalid or cannot read it"
                    + (gated ? $"; the repository is gated: accept its terms at {HubEndpoint.Combine(endpoint, context.RepoId.Value)}" : string.Empty)
                : $"access to {what} was denied ({reason}): the repository is private or gated, or does not exist; {TokenHelp}";
            return new HubException(HubErrorCategory.Authentication, message, status);
        }

        if (status == 404)
        {
            var message = code switch
            {
                "RevisionNotFound" => $"revision '{context.Revision}' not found in repository '{context.RepoId}' at {HubEndpoint.Display(endpoint)}",
                "EntryNotFound" => $"{what} not found at revision '{context.Revision}'",
                "RepoNotFound" => $"repository '{context.RepoId}' not found at {HubEndpoint.Display(endpoint)} (check the id; if it is private, {TokenHelp})",
                _ when context.File is not null => $"{what} not found at revision '{context.Revision}' ({HubEndpoint.Display(endpoint)})",
                _ => $"repository '{context.RepoId}' or revision '{context.Revision}' not found at {HubEndpoint.Display(endpoint)}",
            };
            return new HubException(HubErrorCategory.NotFound, message, status);
        }

        var uri = response.RequestMessage?.RequestUri is { } requestUri ? HubEndpoint.Redact(requestUri) : endpoint.ToString();
        return new HubException(HubErrorCategory.InvalidResponse, $"{context.Describe()}: unexpected answer {reason} from {uri}", status);
    }

    /// <summary>Maps what is left after the last retry (or a failure that is never retried) to a <see cref="HubException"/>.</summary>
    public static HubException AfterRetries(Exception exception, HubRequestContext context, Uri endpoint, int attempts)
    {
        var tries = attempts > 1 ? $" (after {attempts} attempts)" : string.Empty;
        return exception switch
        {
            HubTransientException transient => new HubException(HubErrorCategory.Unavailable,
                $"{context.Describe()}: {transient.Message} from {HubEndpoint.Display(endpoint)}{tries}; try again later", transient.StatusCode, exception),
            HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError } http => new HubException(
                HubErrorCategory.Offline,
                $"{context.Describe()}: cannot reach the Hugging Face Hub at {HubEndpoint.Display(endpoint)} ({Describe(http)}){tries}; check the network and HF_ENDPOINT, or set HF_HUB_OFFLINE=1 to use cached models only",
                innerException: exception),
            TimeoutException timeout => new HubException(HubErrorCategory.Unavailable, $"{context.Describe()}: {timeout.Message}{tries}", innerException: exception),
            _ => new HubException(HubErrorCategory.Unavailable, $"{context.Describe()}: {OneLine(exception.Message)}{tries}", innerException: exception),
        };
    }

    /// <summary>
    /// Failures that may pass: 408/429/5xx, timeouts, dropped transfers. A failed DNS lookup or a refused or unreachable
    /// connection means no network or no server, so it fails at once with the offline message instead of after minutes of retries.
    /// </summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        HubTransientException or TimeoutException or HttpIOException => true,
        TaskCanceledException { InnerException: TimeoutException } => true, // HttpClient.Timeout of an injected client
        HttpRequestException http => http.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => false,
            HttpRequestError.ConnectionError => http.InnerException is not SocketException,
            _ => true,
        },
        IOException { InnerException: SocketException } => true,
        _ => false,
    };

    private static string Describe(HttpRequestException exception) => exception.HttpRequestError switch
    {
        HttpRequestError.NameResolutionError => "name resolution failed",
        HttpRequestError.ConnectionError when exception.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused } => "connection refused",
        _ => OneLine(exception.Message),
    };

    private static string? Header(HttpResponseMessage response, string name)
        => response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static TimeSpan? RetryAfter(RetryConditionHeaderValue? header) => header switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow,
        _ => null,
    };

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();

    /// <summary>True for the redirect statuses the downloader follows itself.</summary>
    public static bool IsRedirect(HttpStatusCode status)
        => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
            or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;
}
