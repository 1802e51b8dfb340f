using System.Collections.Concurrent;
using System.Text.Json;
using LLMDistill.Tests.Fixtures;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LLMDistill.Tests.Hub;

/// <summary>One request the fake Hub received.</summary>
internal sealed record FakeHubRequest(string Kind, string Path, string Host, string? Authorization, string? Range);

/// <summary>
/// A loopback Kestrel server that imitates the Hub's HTTP API: <c>/api/models/{repo}/revision/{rev}?blobs=true</c>,
/// <c>/{repo}/resolve/{commit}/{file}</c> (small files served directly with an ETag; LFS files redirected to a "CDN"
/// on another host name, <c>localhost</c> instead of <c>127.0.0.1</c>), <c>X-Error-Code</c> errors, byte ranges, and
/// injectable faults: a dropped or stalled transfer, corrupted content, 503s, a required token.
/// </summary>
internal sealed class FakeHubServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Dictionary<string, FakeHubRepo> _repos;
    private readonly ConcurrentDictionary<string, long> _bytesSent = new(StringComparer.Ordinal);
    private int _dropped;
    private int _stalled;
    private int _apiFailures;
    private int _inFlight;
    private int _maxInFlight;

    private FakeHubServer(WebApplication app, IEnumerable<FakeHubRepo> repos, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
        _repos = repos.ToDictionary(r => r.Id, StringComparer.Ordinal);
    }

    public Uri Endpoint { get; }

    public int Port => Endpoint.Port;

    /// <summary>When set, API and resolve requests need <c>Authorization: Bearer {token}</c> (else 401).</summary>
    public string? RequiredToken { get; set; }

    /// <summary>The first download of this file sends half its bytes, then the connection is dropped.</summary>
    public string? DropOnce { get; set; }

    /// <summary>The first download of this file sends half its bytes, then stalls until the client gives up.</summary>
    public string? StallOnce { get; set; }

    /// <summary>Completes once a <see cref="StallOnce"/> transfer has sent its half and stalls.</summary>
    public TaskCompletionSource Stalled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>This file is always served with one byte flipped.</summary>
    public string? CorruptFile { get; set; }

    /// <summary>The next this many API calls answer 503.</summary>
    public int ApiFailures { get => _apiFailures; set => _apiFailures = value; }

    /// <summary>Range requests are answered with the whole file (200).</summary>
    public bool IgnoreRange { get; set; }

    /// <summary>Each file body waits this long before it is sent (to observe concurrent downloads).</summary>
    public TimeSpan ResponseDelay { get; set; }

    /// <summary>The most file bodies that were being served at the same time.</summary>
    public int MaxConcurrentFileResponses => Volatile.Read(ref _maxInFlight);

    public ConcurrentQueue<FakeHubRequest> Requests { get; } = new();

    public IEnumerable<FakeHubRequest> FileRequests => Requests.Where(r => r.Kind is "resolve" or "cdn");

    public long BytesSent(string path) => _bytesSent.GetValueOrDefault(path);

    public static async Task<FakeHubServer> StartAsync(params FakeHubRepo[] repos)
    {
        FakeHubServer? server = null;
        var (app, root) = await LoopbackApp.StartAsync(context => server!.HandleAsync(context));
        server = new FakeHubServer(app, repos, root);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var segments = path.Trim('/').Split('/');
        var kind = segments is ["api", "models", ..] ? "api" : segments is ["cdn", _] ? "cdn" : segments.Contains("resolve") ? "resolve" : "other";
        Requests.Enqueue(new FakeHubRequest(kind, path, context.Request.Host.Host, context.Request.Headers.Authorization.FirstOrDefault(), context.Request.Headers.Range.FirstOrDefault()));
        if (kind != "cdn" && RequiredToken is not null && context.Request.Headers.Authorization.FirstOrDefault() != $"Bearer {RequiredToken}")
        {
            await ErrorAsync(context, 401, "RepoNotFound", "Invalid credentials in Authorization header");
            return;
        }

        switch (kind)
        {
            case "api":
                await ApiAsync(context, segments);
                break;
            case "resolve":
                await ResolveAsync(context, segments);
                break;
            case "cdn":
                var file = _repos.Values.SelectMany(r => r.Files).FirstOrDefault(f => f.Lfs && f.Sha256 == segments[1]);
                await (file is null ? ErrorAsync(context, 404, null, "no such blob") : ServeAsync(context, file));
                break;
            default:
                await ErrorAsync(context, 404, null, "not found");
                break;
        }
    }

    private async Task ApiAsync(HttpContext context, string[] segments)
    {
        var revisionAt = Array.IndexOf(segments, "revision");
        if (Interlocked.Decrement(ref _apiFailures) >= 0)
        {
            await ErrorAsync(context, 503, null, "try later");
            return;
        }

        if (revisionAt < 0 || !_repos.TryGetValue(string.Join('/', segments[2..revisionAt]), out var repo))
        {
            await ErrorAsync(context, 404, "RepoNotFound", "Repository not found");
            return;
        }

        var revision = Uri.UnescapeDataString(string.Join('/', segments[(revisionAt + 1)..]));
        var commit = revision == repo.Commit ? repo.Commit : repo.Refs.GetValueOrDefault(revision);
        if (commit is null)
        {
            await ErrorAsync(context, 404, "RevisionNotFound", $"Invalid rev id: {revision}");
            return;
        }

        var blobs = context.Request.Query["blobs"] == "true";
        await context.Response.WriteAsJsonAsync(new Dictionary<string, object?>
        {
            ["id"] = repo.Id,
            ["sha"] = commit,
            ["siblings"] = repo.Files.Select(f => blobs
                ? new Dictionary<string, object?>
                {
                    ["rfilename"] = f.Path,
                    ["size"] = f.Content.Length,
                    ["blobId"] = f.BlobId,
                    ["lfs"] = f.Lfs ? new { sha256 = f.Sha256, size = f.Content.Length, pointerSize = 134 } : null,
                }
                : new Dictionary<string, object?> { ["rfilename"] = f.Path }),
        }, new JsonSerializerOptions { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull });
    }

    private async Task ResolveAsync(HttpContext context, string[] segments)
    {
        var resolveAt = Array.IndexOf(segments, "resolve");
        if (!_repos.TryGetValue(string.Join('/', segments[..resolveAt]), out var repo))
        {
            await ErrorAsync(context, 404, "RepoNotFound", "Repository not found");
            return;
        }

        var revision = Uri.UnescapeDataString(segments[resolveAt + 1]);
        if (revision != repo.Commit && !repo.Refs.ContainsKey(revision))
        {
            await ErrorAsync(context, 404, "RevisionNotFound", "Invalid rev id");
            return;
        }

        var filePath = string.Join('/', segments[(resolveAt + 2)..].Select(Uri.UnescapeDataString));
        var file = repo.Files.FirstOrDefault(f => f.Path == filePath);
        if (file is null)
        {
            await ErrorAsync(context, 404, "EntryNotFound", "Entry not found");
            return;
        }

        context.Response.Headers["X-Repo-Commit"] = repo.Commit;
        if (file.Lfs)
        {
            // like the Hub: LFS content lives on a CDN host behind a signed URL
            context.Response.Headers["X-Linked-Etag"] = $"\"{file.Sha256}\"";
            context.Response.Headers["X-Linked-Size"] = file.Content.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
            context.Response.Redirect($"http://localhost:{Port}/cdn/{file.Sha256}?X-Amz-Signature=fake", permanent: false);
            return;
        }

        context.Response.Headers.ETag = $"\"{file.BlobId}\"";
        await ServeAsync(context, file);
    }

    private async Task ServeAsync(HttpContext context, FakeHubFile file)
    {
        var inFlight = Interlocked.Increment(ref _inFlight);
        for (var max = Volatile.Read(ref _maxInFlight); inFlight > max; max = Volatile.Read(ref _maxInFlight))
        {
            Interlocked.CompareExchange(ref _maxInFlight, inFlight, max);
        }

        try
        {
            await Task.Delay(ResponseDelay);
            await ServeContentAsync(context, file);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task ServeContentAsync(HttpContext context, FakeHubFile file)
    {
        var content = file.Content;
        if (file.Path == CorruptFile)
        {
            content = (byte[])content.Clone();
            content[content.Length / 3] ^= 0x5A;
        }

        long start = 0;
        var range = context.Request.Headers.Range.FirstOrDefault();
        if (!IgnoreRange && range is not null && range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-'))
        {
            start = long.Parse(range["bytes=".Length..^1], System.Globalization.CultureInfo.InvariantCulture);
            if (start >= content.Length)
            {
                context.Response.StatusCode = 416;
                context.Response.Headers.ContentRange = $"bytes */{content.Length}";
                return;
            }

            context.Response.StatusCode = 206;
            context.Response.Headers.ContentRange = $"bytes {start}-{content.Length - 1}/{content.Length}";
        }

        context.Response.ContentLength = content.Length - start;
        var body = content.AsMemory((int)start);
        var fault = file.Path == DropOnce && Interlocked.Exchange(ref _dropped, 1) == 0 ? "drop"
            : file.Path == StallOnce && Interlocked.Exchange(ref _stalled, 1) == 0 ? "stall" : null;
        if (fault is null)
        {
            await WriteAsync(context, file, body);
            return;
        }

        await WriteAsync(context, file, body[..(body.Length / 2)]);
        await context.Response.Body.FlushAsync();
        if (fault == "drop")
        {
            await Task.Delay(100); // let the client read what was sent before the connection goes
            context.Abort();
            return;
        }

        Stalled.TrySetResult();
        try
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // the client gave up, as it should
        }
    }

    private async Task WriteAsync(HttpContext context, FakeHubFile file, ReadOnlyMemory<byte> data)
    {
        _bytesSent.AddOrUpdate(file.Path, data.Length, (_, sent) => sent + data.Length); // counted first: the client may finish before WriteAsync returns
        await context.Response.Body.WriteAsync(data);
    }

    private static async Task ErrorAsync(HttpContext context, int status, string? code, string message)
    {
        context.Response.StatusCode = status;
        if (code is not null)
        {
            context.Response.Headers["X-Error-Code"] = code;
        }

        context.Response.Headers["X-Error-Message"] = message;
        await context.Response.WriteAsJsonAsync(new { error = message });
    }
}
