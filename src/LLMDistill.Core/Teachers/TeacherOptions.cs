using System.ComponentModel.DataAnnotations;

namespace LLMDistill.Teachers;

/// <summary>
/// One named teacher, bound from <c>Teachers:&lt;name&gt;</c>. Holds everything that is not a secret: where the
/// teacher lives, what it can do, client-side limits, prices, timeouts, retries and caching. The API key is never
/// here: it comes from the environment (<see cref="ApiKeyEnvironmentVariable"/> or <c>LLMDISTILL_Teachers__&lt;name&gt;__ApiKey</c>).
/// </summary>
public sealed class TeacherOptions : IValidatableObject
{
    /// <summary>The prefix of every teacher section.</summary>
    public const string SectionPrefix = "Teachers";

    /// <summary>Which provider serves this teacher: <c>openai</c> (OpenAI or any OpenAI-compatible server), <c>azure</c> or <c>local</c>.</summary>
    [Required]
    public string Kind { get; set; } = "";

    /// <summary>A disabled teacher is listed but cannot be created and is not validated (for examples in appsettings.json).</summary>
    /// <value>Default: true.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>chat (instruct models, <c>/chat/completions</c>) or completion (base models, <c>/completions</c>).</summary>
    /// <value>Default: chat.</value>
    public TeacherMode Mode { get; set; } = TeacherMode.Chat;

    /// <summary>Base URL: for <c>openai</c> the API root including <c>/v1</c> (default https://api.openai.com/v1; e.g. http://127.0.0.1:8000/v1 for vLLM); for <c>azure</c> the resource endpoint.</summary>
    public string? Endpoint { get; set; }

    /// <summary>The model name sent with each request (openai) or, when <see cref="Deployment"/> is empty, the Azure deployment.</summary>
    public string? Model { get; set; }

    /// <summary>Azure OpenAI deployment name.</summary>
    public string? Deployment { get; set; }

    /// <summary>Azure <c>api-version</c> used for the completions endpoint (chat uses the SDK's own version).</summary>
    /// <value>Default: 2024-10-21.</value>
    public string ApiVersion { get; set; } = "2024-10-21";

    /// <summary>Name of the environment variable holding the API key (e.g. <c>OPENAI_API_KEY</c>). Azure without a key uses Entra ID.</summary>
    public string? ApiKeyEnvironmentVariable { get; set; }

    /// <summary>Largest <c>top_logprobs</c> the endpoint returns; requests asking for more are rejected.</summary>
    /// <value>Default: 20 (the OpenAI limit).</value>
    [Range(0, 100)]
    public int MaxTopLogprobs { get; set; } = 20;

    /// <summary>Whether the server scores text through <c>/completions</c> with <c>echo</c> (vLLM: yes; OpenAI: no).</summary>
    /// <value>Default: true in completion mode, false in chat mode.</value>
    public bool? Scoring { get; set; }

    /// <summary>Whether the endpoint honours a JSON-schema <c>response_format</c> (chat mode only).</summary>
    /// <value>Default: true.</value>
    public bool StructuredOutput { get; set; } = true;

    /// <summary>Client-side request rate limit per minute (0 = none).</summary>
    [Range(0, 10_000_000)]
    public int RequestsPerMinute { get; set; }

    /// <summary>Client-side token rate limit per minute, prompt plus completion (0 = none). Estimated before a call, corrected after.</summary>
    [Range(0, int.MaxValue)]
    public int TokensPerMinute { get; set; }

    /// <summary>Requests in flight at once.</summary>
    /// <value>Default: 8.</value>
    [Range(1, 4096)]
    public int MaxConcurrency { get; set; } = 8;

    /// <summary>USD per million prompt tokens.</summary>
    [Range(typeof(decimal), "0", "100000")]
    public decimal PromptPricePerMillion { get; set; }

    /// <summary>USD per million completion tokens.</summary>
    [Range(typeof(decimal), "0", "100000")]
    public decimal CompletionPricePerMillion { get; set; }

    /// <summary>Spend limit for this teacher in USD; once reached, new requests fail with <see cref="TeacherErrorCategory.BudgetExhausted"/>. Empty = none.</summary>
    [Range(typeof(decimal), "0", "100000000")]
    public decimal? BudgetUsd { get; set; }

    /// <summary>Timeout of one HTTP attempt, in seconds.</summary>
    /// <value>Default: 120.</value>
    [Range(0.001, 86_400)]
    public double AttemptTimeoutSeconds { get; set; } = 120;

    /// <summary>Timeout of one request including all retries and back-off, in seconds.</summary>
    /// <value>Default: 600.</value>
    [Range(0.001, 86_400)]
    public double TotalTimeoutSeconds { get; set; } = 600;

    /// <summary>Retries after the first attempt, for 408/429/5xx, timeouts and dropped connections only.</summary>
    /// <value>Default: 6.</value>
    [Range(0, 100)]
    public int MaxRetries { get; set; } = 6;

    /// <summary>First back-off delay in seconds; it doubles per retry, with jitter.</summary>
    /// <value>Default: 1.</value>
    [Range(0, 3600)]
    public double RetryBaseDelaySeconds { get; set; } = 1;

    /// <summary>Longest back-off, and the longest <c>Retry-After</c> honoured: a server asking for more fails the request as rate limited.</summary>
    /// <value>Default: 60.</value>
    [Range(0, 86_400)]
    public double MaxRetryDelaySeconds { get; set; } = 60;

    /// <summary>Share of failed attempts in the sampling window that opens the circuit.</summary>
    /// <value>Default: 0.5.</value>
    [Range(0.01, 1.0)]
    public double CircuitBreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Attempts in the sampling window before the circuit may open.</summary>
    /// <value>Default: 20.</value>
    [Range(2, 100_000)]
    public int CircuitBreakerMinimumThroughput { get; set; } = 20;

    /// <summary>Sampling window of the circuit breaker, in seconds.</summary>
    /// <value>Default: 30.</value>
    [Range(0.5, 86_400)]
    public double CircuitBreakerSamplingSeconds { get; set; } = 30;

    /// <summary>How long an open circuit rejects requests, in seconds.</summary>
    /// <value>Default: 30.</value>
    [Range(0.5, 86_400)]
    public double CircuitBreakerBreakSeconds { get; set; } = 30;

    /// <summary>Whether responses are cached on disk (content-addressed by teacher and full request).</summary>
    /// <value>Default: true.</value>
    public bool Cache { get; set; } = true;

    /// <summary>Whether this teacher scores text, resolving the mode-dependent default.</summary>
    public bool ScoringEnabled => Scoring ?? Mode == TeacherMode.Completion;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (TotalTimeoutSeconds < AttemptTimeoutSeconds)
        {
            yield return new ValidationResult(
                $"must be at least AttemptTimeoutSeconds ({AttemptTimeoutSeconds}), got {TotalTimeoutSeconds}", [nameof(TotalTimeoutSeconds)]);
        }

        if (Endpoint is { Length: > 0 } endpoint
            && (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            yield return new ValidationResult($"must be an absolute http(s) URL, got '{endpoint}'", [nameof(Endpoint)]);
        }
    }
}
