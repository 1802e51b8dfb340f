using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace LLMDistill.Cli.Serving;

/// <summary><c>GET /v1/models</c> and <c>GET /v1/models/{id}</c>: the one served model, with its context length (as vLLM reports it).</summary>
internal sealed class ModelsEndpoint(ServeContext serve, long created)
{
    public async Task<RequestSummary> ListAsync(HttpContext http, CancellationToken cancellationToken)
    {
        http.Response.ContentType = "application/json";
        await using (var writer = new Utf8JsonWriter(http.Response.Body, ServeContext.Json))
        {
            writer.WriteStartObject();
            writer.WriteString("object", "list");
            writer.WriteStartArray("data");
            WriteModel(writer);
            writer.WriteEndArray();
            writer.WriteEndObject();
            await writer.FlushAsync(cancellationToken);
        }

        return new RequestSummary(0, 0);
    }

    public async Task<RequestSummary> GetAsync(HttpContext http, CancellationToken cancellationToken)
    {
        serve.CheckModel((string)http.Request.RouteValues["id"]!);
        http.Response.ContentType = "application/json";
        await using (var writer = new Utf8JsonWriter(http.Response.Body, ServeContext.Json))
        {
            WriteModel(writer);
            await writer.FlushAsync(cancellationToken);
        }

        return new RequestSummary(0, 0);
    }

    /// <summary>Any other path: OpenAI's 404.</summary>
    public static Task<RequestSummary> UnknownAsync(HttpContext http, CancellationToken cancellationToken)
        => throw new OpenAiError(404, $"Unknown request URL: {http.Request.Method} {http.Request.Path}", "invalid_request_error");

    private void WriteModel(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("id", serve.Model.Name);
        writer.WriteString("object", "model");
        writer.WriteNumber("created", created);
        writer.WriteString("owned_by", "llmdistill");
        writer.WriteNumber("max_model_len", serve.Model.ContextLength);
        writer.WriteEndObject();
    }
}
