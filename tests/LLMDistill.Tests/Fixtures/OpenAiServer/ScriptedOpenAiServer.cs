using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LLMDistill.Tests.Fixtures.OpenAiServer;

/// <summary>
/// A scriptable OpenAI-compatible server on 127.0.0.1 (Kestrel, port 0) for tests that drive the real SDK. Every
/// POST under any path is recorded and answered by the next queued <see cref="ScriptedReply"/>, else by
/// <see cref="Default"/> (a correct answer to whatever was asked). Serves OpenAI paths (<c>/v1/chat/completions</c>,
/// <c>/v1/completions</c>) and Azure paths (<c>/openai/deployments/{d}/...</c>) alike; <c>GET /v1/models</c> lists one model.
/// <code>
/// await using var server = await ScriptedOpenAiServer.StartAsync();
/// server.Enqueue(ScriptedReply.Error(429).WithHeader("Retry-After", "1"), ScriptedReply.Answer("Hello."));
/// // point a teacher at server.V1, run it, then assert on server.HitCount and server.Requests
/// </code>
/// </summary>
public sealed class ScriptedOpenAiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ScriptedReply> _queue = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private int _hits;

    private ScriptedOpenAiServer(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
    }

    /// <summary>The server root, e.g. <c>http://127.0.0.1:5123/</c> (the Azure endpoint).</summary>
    public Uri BaseUri { get; }

    /// <summary>The OpenAI API root, <c>http://127.0.0.1:port/v1</c> (the <c>openai</c> endpoint).</summary>
    public Uri V1 => new(BaseUri, "v1");

    /// <summary>The reply when the queue is empty. Default: <see cref="ScriptedReply.Answer"/> of "The quick brown fox.".</summary>
    public ScriptedReply Default { get; set; } = ScriptedReply.Answer("The quick brown fox.");

    /// <summary>POST requests received so far.</summary>
    public int HitCount => Volatile.Read(ref _hits);

    /// <summary>The POST requests received so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>Starts a server on a loopback port.</summary>
    /// <param name="port">The port; 0 (the default) picks a free one. A given port lets a test bring a stopped server back at the same address.</param>
    public static async Task<ScriptedOpenAiServer> StartAsync(int port = 0)
    {
        ScriptedOpenAiServer? server = null;
        var (app, root) = await LoopbackApp.StartAsync(context => server!.HandleAsync(context), port);
        server = new ScriptedOpenAiServer(app, root);
        return server;
    }

    /// <summary>Queues replies, used in order before <see cref="Default"/>.</summary>
    public void Enqueue(params ScriptedReply[] replies)
    {
        foreach (var reply in replies)
        {
            _queue.Enqueue(reply);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method))
        {
            await WriteAsync(context, 200, "application/json", """{"object":"list","data":[{"id":"fake-model","object":"model","owned_by":"tests"}]}""");
            return;
        }

        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var recorded = new RecordedRequest(request.Method, request.Path.Value ?? "", request.QueryString.Value ?? "", headers, body, DateTimeOffset.UtcNow);
        _requests.Enqueue(recorded);
        Interlocked.Increment(ref _hits);

        var reply = (_queue.TryDequeue(out var next) ? next : Default).Resolve(recorded);
        try
        {
            if (reply.Delay > TimeSpan.Zero)
            {
                await Task.Delay(reply.Delay, context.RequestAborted);
            }

            if (reply.Fault == ScriptedFault.DropConnection)
            {
                context.Abort();
                return;
            }

            context.Response.StatusCode = reply.Status;
            foreach (var (name, value) in reply.Headers)
            {
                context.Response.Headers[name] = value;
            }

            if (reply.Events is { } events)
            {
                await WriteEventsAsync(context, reply, events);
                return;
            }

            if (reply.Fault == ScriptedFault.DropMidBody)
            {
                context.Response.ContentType = reply.ContentType;
                await context.Response.WriteAsync(reply.Body[..(reply.Body.Length / 2)], context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                context.Abort();
                return;
            }

            await WriteAsync(context, reply.Status, reply.ContentType, reply.Body);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client gave up (its timeout); nothing left to answer.
        }
    }

    private static async Task WriteEventsAsync(HttpContext context, ScriptedReply reply, IReadOnlyList<string> events)
    {
        context.Response.ContentType = "text/event-stream";
        for (var i = 0; i < events.Count; i++)
        {
            if (i > 0 && reply.EventDelay > TimeSpan.Zero)
            {
                await Task.Delay(reply.EventDelay, context.RequestAborted);
            }

            await context.Response.WriteAsync($"data: {events[i]}\n\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            if (reply.Fault == ScriptedFault.DropMidBody && i == events.Count / 2)
            {
                // Let the client read what was sent: a reset can discard data still unread in its socket buffer.
                await Task.Delay(100, context.RequestAborted);
                context.Abort();
                return;
            }
        }

        await context.Response.WriteAsync("data: [DONE]\n\n", context.RequestAborted);
    }

    private static async Task WriteAsync(HttpContext context, int status, string contentType, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(body, context.RequestAborted);
    }
}
