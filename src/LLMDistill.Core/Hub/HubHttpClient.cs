using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace LLMDistill.Hub;

/// <summary>
/// The downloader's HTTP layer: GET with the token, <c>Range</c>, a header timeout and redirects followed by hand, so
/// the token goes only to the Hub's own host and never to a CDN; plus the retry pipeline and the final error mapping.
/// </summary>
internal sealed class HubHttpClient
{
    private const int MaxRedirects = 10;
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(60);
    private static readonly ProductInfoHeaderValue UserAgent = new("llmdistill", typeof(HubHttpClient).Assembly.GetName().Version?.ToString(3) ?? "0");

    private readonly HttpClient _httpClient;
    private readonly string? _token;
    private readonly HubOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ResiliencePipeline _pipeline;

    public HubHttpClient(HttpClient httpClient, Uri endpoint, string? token, HubOptions options, TimeProvider timeProvider, ILogger logger)
    {
        _httpClient = httpClient;
        Endpoint = endpoint;
        _token = token;
        _options = options;
        _timeProvider = timeProvider;
        _pipeline = BuildPipeline(options, timeProvider, logger);
    }

    /// <summary>The Hub's base URL.</summary>
    public Uri Endpoint { get; }

    /// <summary>Whether requests to the Hub carry a token (for error messages; the token itself stays private).</summary>
    public bool HasToken => _token is not null;

    /// <summary>Runs <paramref name="attempt"/> with retries; what is still failing after the last one becomes a <see cref="HubException"/>.</summary>
    public async Task<T> ExecuteAsync<T>(Func<CancellationToken, ValueTask<T>> attempt, HubRequestContext context, CancellationToken cancellationToken)
    {
        var attempts = 0;
        try
        {
            return await _pipeline.ExecuteAsync(
                token =>
                {
                    attempts++;
                    return attempt(token);
                },
                cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not HubException && (HubErrors.IsTransient(ex) || ex is HttpRequestException))
        {
            throw HubErrors.AfterRetries(ex, context, Endpoint, attempts);
        }
    }

    /// <summary>
    /// Sends a GET and follows redirects. Authorization is dropped once a redirect leaves the Hub's origin (a signed CDN
    /// URL needs none, and the token must not leak to another host); <c>Range</c> is kept so a CDN can resume.
    /// </summary>
    /// <param name="uri">The URL.</param>
    /// <param name="rangeStart">Ask for bytes from this offset on (0: the whole file).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The final response, headers read and body not yet; the caller disposes it.</returns>
    public async Task<HttpResponseMessage> GetAsync(Uri uri, long rangeStart, CancellationToken cancellationToken)
    {
        var current = uri;
        var sendToken = _token is not null;
        for (var hop = 0; ; hop++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, current);
            request.Headers.UserAgent.Add(UserAgent);
            if (sendToken)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
            }

            if (rangeStart > 0)
            {
                request.Headers.Range = new RangeHeaderValue(rangeStart, null);
            }

            var response = await SendWithTimeoutAsync(request, cancellationToken);
            if (!HubErrors.IsRedirect(response.StatusCode) || response.Headers.Location is not { } location)
            {
                return response;
            }

            response.Dispose();
            if (hop >= MaxRedirects)
            {
                throw new HubException(HubErrorCategory.InvalidResponse, $"more than {MaxRedirects} redirects starting at {HubEndpoint.Redact(uri)}");
            }

            var next = location.IsAbsoluteUri ? location : new Uri(current, location);
            sendToken &= SameOrigin(current, next);
            current = next;
        }
    }

    private async Task<HttpResponseMessage> SendWithTimeoutAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await _httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"no answer from {HubEndpoint.Redact(request.RequestUri!)} within {_options.RequestTimeout.TotalSeconds:0.###} s");
        }
    }

    private static bool SameOrigin(Uri a, Uri b)
        => a.Scheme == b.Scheme && a.Port == b.Port && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase);

    private static ResiliencePipeline BuildPipeline(HubOptions options, TimeProvider timeProvider, ILogger logger)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(HubErrors.IsTransient),
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                MaxDelay = MaxRetryDelay,
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Exception is HubTransientException { RetryAfter: { } retryAfter } && retryAfter > TimeSpan.Zero
                        ? TimeSpan.FromTicks(Math.Min(retryAfter.Ticks, MaxRetryDelay.Ticks))
                        : (TimeSpan?)null),
                OnRetry = args =>
                {
                    HubLog.Retrying(logger, args.AttemptNumber + 1, options.MaxRetries, args.RetryDelay, args.Outcome.Exception?.Message ?? "failure");
                    return default;
                },
            });
        }

        return builder.Build();
    }
}
