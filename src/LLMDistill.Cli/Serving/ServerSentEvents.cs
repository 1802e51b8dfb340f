using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace LLMDistill.Cli.Serving;

/// <summary>Writes a <c>text/event-stream</c> response: one <c>data: {json}</c> event per chunk, flushed at once, then <c>data: [DONE]</c>.</summary>
internal sealed class ServerSentEvents(HttpResponse response)
{
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

    /// <summary>Whether the response has started (headers sent): errors must then be sent as events.</summary>
    public bool Started { get; private set; }

    public async Task WriteAsync(Action<Utf8JsonWriter> write, CancellationToken cancellationToken)
    {
        Start();
        var body = response.BodyWriter;
        body.Write(DataPrefix);
        using (var writer = new Utf8JsonWriter(body, ServeContext.Json))
        {
            write(writer);
        }

        body.Write(EventEnd);
        await body.FlushAsync(cancellationToken);
    }

    public async Task DoneAsync(CancellationToken cancellationToken)
    {
        Start();
        response.BodyWriter.Write(Done);
        await response.BodyWriter.FlushAsync(cancellationToken);
    }

    private void Start()
    {
        if (Started)
        {
            return;
        }

        Started = true;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no"; // proxies must not hold tokens back
    }
}
