using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using LLMDistill.Teachers.Limits;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LLMDistill.Bench;

/// <summary>
/// An OpenAI-compatible chat endpoint on 127.0.0.1 with a fixed latency and a server-side request limit, as a hosted
/// API enforces it: a token bucket of one second's worth of requests refilled continuously; a request beyond it gets
/// 429 with <c>Retry-After</c> at once. Replies are <see cref="ThroughputTeacher.ReplyText"/>. It records when each
/// request was answered, so a benchmark can count what the server accepted in a window.
/// </summary>
internal sealed class LoopbackTeacherServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TokenBucketLimiter _limit;
    private readonly TimeSpan _latency;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<double> _accepted = [];
    private long _refused;

    private LoopbackTeacherServer(WebApplication app, TimeSpan latency, int perMinute)
    {
        _app = app;
        _latency = latency;
        _limit = new TokenBucketLimiter(Math.Max(1, perMinute / 60.0), perMinute, TimeProvider.System);
    }

    /// <summary>The API root, <c>http://127.0.0.1:port/v1</c>.</summary>
    public Uri V1 { get; private set; } = null!;

    /// <summary>Seconds since the server started.</summary>
    public double Now => _clock.Elapsed.TotalSeconds;

    /// <summary>Requests refused with 429 so far.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    public static async Task<LoopbackTeacherServer> StartAsync(TimeSpan latency, int perMinute)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new LoopbackTeacherServer(app, latency, perMinute);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.V1 = new Uri(address.TrimEnd('/') + "/v1");
        return server;
    }

    /// <summary>Requests answered with 200 whose answer left in [<paramref name="from"/>, <paramref name="to"/>) seconds.</summary>
    public int AcceptedBetween(double from, double to)
    {
        lock (_accepted)
        {
            return _accepted.Count(t => t >= from && t < to);
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
        _limit.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var lease = _limit.AttemptAcquire(1);
        if (!lease.IsAcquired)
        {
            Interlocked.Increment(ref _refused);
            context.Response.StatusCode = 429;
            context.Response.Headers.RetryAfter = "1";
            await context.Response.WriteAsync("""{"error":{"message":"rate limit","type":"requests","code":"rate_limit_exceeded"}}""");
            return;
        }

        using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        var body = document.RootElement;
        var user = body.GetProperty("messages").EnumerateArray().Last().GetProperty("content").GetString() ?? "";
        int? seed = body.TryGetProperty("seed", out var s) ? s.GetInt32() : null;
        var text = ThroughputTeacher.ReplyText(user, body.TryGetProperty("response_format", out _), seed);
        await Task.Delay(_latency, context.RequestAborted);
        var reply = new JsonObject
        {
            ["id"] = "chatcmpl-bench",
            ["object"] = "chat.completion",
            ["created"] = 1_700_000_000,
            ["model"] = "loopback-model",
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = text }, ["finish_reason"] = "stop" }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = user.Length / 4, ["completion_tokens"] = text.Length / 4, ["total_tokens"] = (user.Length + text.Length) / 4 },
        };
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(reply.ToJsonString(), context.RequestAborted);
        lock (_accepted)
        {
            _accepted.Add(Now);
        }
    }
}
