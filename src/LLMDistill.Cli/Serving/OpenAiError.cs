using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace LLMDistill.Cli.Serving;

/// <summary>
/// An error answered in OpenAI's format, <c>{"error":{"message","type","param","code"}}</c>, with its HTTP status.
/// Thrown by request parsing and handlers; the endpoint filter writes it.
/// </summary>
internal sealed class OpenAiError : Exception
{
    public OpenAiError(int status, string message, string type, string? param = null, string? code = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Status = status;
        Type = type;
        Param = param;
        Code = code;
    }

    public OpenAiError()
        : this(500, "internal error", "server_error")
    {
    }

    public OpenAiError(string message)
        : this(400, message, "invalid_request_error")
    {
    }

    public OpenAiError(string message, Exception innerException)
        : this(400, message, "invalid_request_error", null, null, innerException)
    {
    }

    public int Status { get; }

    public string Type { get; }

    public string? Param { get; }

    public string? Code { get; }

    /// <summary>Seconds a client should wait before retrying (503 overloaded), sent as Retry-After.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>400: a parameter is wrong; <paramref name="param"/> names it.</summary>
    public static OpenAiError Invalid(string message, string? param = null, string? code = null) => new(400, message, "invalid_request_error", param, code);

    public static OpenAiError ModelNotFound(string model, string served)
        => new(404, $"The model '{model}' does not exist; this server serves '{served}'", "invalid_request_error", "model", "model_not_found");

    public static OpenAiError Unauthorized(string message) => new(401, message, "invalid_request_error", null, "invalid_api_key");

    public static OpenAiError Overloaded(string message) => new(503, message, "server_error", null, "overloaded") { RetryAfterSeconds = 1 };

    public static OpenAiError Internal(string message) => new(500, message, "server_error");

    /// <summary>The error body.</summary>
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, ServeContext.Json))
        {
            WriteTo(writer);
        }

        return buffer.ToArray();
    }

    /// <summary>Writes <c>{"error":{...}}</c>.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("error");
        writer.WriteString("message", Message);
        writer.WriteString("type", Type);
        writer.WriteString("param", Param);
        writer.WriteString("code", Code);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>Answers the request with this error (status, JSON body, Retry-After / WWW-Authenticate where they apply).</summary>
    public async Task WriteAsync(HttpResponse response, CancellationToken cancellationToken)
    {
        response.StatusCode = Status;
        response.ContentType = "application/json";
        if (RetryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (Status == 401)
        {
            response.Headers.WWWAuthenticate = "Bearer";
        }

        await response.Body.WriteAsync(ToJson(), cancellationToken);
    }
}
