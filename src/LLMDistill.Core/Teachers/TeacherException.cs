namespace LLMDistill.Teachers;

/// <summary>Why a teacher request failed, so callers can decide what to do without parsing messages.</summary>
public enum TeacherErrorCategory
{
    /// <summary>400: the request itself is wrong (e.g. context too long). Not retried.</summary>
    BadRequest,

    /// <summary>401/403: key or permissions. Not retried; stops the run.</summary>
    Authentication,

    /// <summary>404: model or deployment not found. Not retried; stops the run.</summary>
    NotFound,

    /// <summary>The provider's content filter refused. Not retried; the sample is rejected.</summary>
    ContentFilter,

    /// <summary>429 after all retries.</summary>
    RateLimited,

    /// <summary>5xx, dropped connections and timeouts after all retries.</summary>
    Unavailable,

    /// <summary>The response could not be parsed.</summary>
    MalformedResponse,

    /// <summary>The configured cost budget is spent; no new requests are sent.</summary>
    BudgetExhausted,

    /// <summary>The circuit breaker is open after repeated failures.</summary>
    CircuitOpen,
}

/// <summary>A categorised teacher failure. Its message never contains the API key.</summary>
public sealed class TeacherException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TeacherException(string teacher, TeacherErrorCategory category, string message, int? statusCode = null, Exception? innerException = null)
        : base($"teacher '{teacher}': {category}: {message}", innerException)
    {
        Teacher = teacher;
        Category = category;
        StatusCode = statusCode;
    }

    /// <summary>The teacher's configured name.</summary>
    public string Teacher { get; }

    /// <summary>The failure category.</summary>
    public TeacherErrorCategory Category { get; }

    /// <summary>The HTTP status, where there was one.</summary>
    public int? StatusCode { get; }

    /// <summary>How long the server asked the client to wait before trying again (Retry-After), where it said so.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>True for failures worth retrying: rate limits and unavailability (5xx, timeouts, dropped connections).</summary>
    public bool IsTransient => Category is TeacherErrorCategory.RateLimited or TeacherErrorCategory.Unavailable;

    /// <summary>True for failures that end the whole run (auth, not found, budget, circuit), not just one sample.</summary>
    public bool IsFatal => Category is TeacherErrorCategory.Authentication or TeacherErrorCategory.NotFound
        or TeacherErrorCategory.BudgetExhausted or TeacherErrorCategory.CircuitOpen or TeacherErrorCategory.Unavailable;
}
