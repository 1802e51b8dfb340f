using LLMDistill.Hub;
using LLMDistill.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LLMDistill.Tests.Hub;

/// <summary>
/// The downloader wired as the CLI wires it (<c>AddLlmDistillHub</c>, IHttpClientFactory), with a temporary cache,
/// an injected environment instead of the process's, short retry delays, and every log line captured.
/// </summary>
internal sealed class HubTestHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly CapturingLoggerProvider _log = new();

    public HubTestHost(Uri? endpoint, IDictionary<string, string>? environment = null, Action<HubOptions>? configure = null, string? cacheDir = null)
    {
        CacheDir = cacheDir ?? Path.Combine(Path.GetTempPath(), "llmdistill-hub-tests", Guid.NewGuid().ToString("N"));
        OwnsCache = cacheDir is null;
        Options = new HubOptions
        {
            Endpoint = endpoint?.ToString(),
            CacheDir = CacheDir,
            RetryDelay = TimeSpan.FromMilliseconds(5),
            MaxRetries = 3,
            RequestTimeout = TimeSpan.FromSeconds(10),
            ReadTimeout = TimeSpan.FromSeconds(10),
        };
        configure?.Invoke(Options);
        var variables = new Dictionary<string, string>(environment ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        var services = new ServiceCollection();
        services.AddSingleton(HubEnvironment.FromVariables(name => variables.GetValueOrDefault(name)));
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(_log));
        services.AddLlmDistillHub(Options);
        _services = services.BuildServiceProvider();
    }

    public string CacheDir { get; }

    private bool OwnsCache { get; }

    public HubOptions Options { get; }

    /// <summary>Every log line (message and exception) the downloader and the HttpClient pipeline wrote.</summary>
    public IReadOnlyList<string> Logs => [.. _log.Entries.Select(e => $"{e.Level} {e.Category}: {e.Message} {e.Exception}")];

    public HubDownloader Downloader => _services.GetRequiredService<HubDownloader>();

    public ModelLocator Locator => _services.GetRequiredService<ModelLocator>();

    public string RepoDir(string repoId) => Path.Combine(CacheDir, "models--" + repoId.Replace("/", "--", StringComparison.Ordinal));

    public Task<HubSnapshot> PullAsync(string repoId, string revision = "main", IReadOnlyList<string>? include = null, IProgress<HubDownloadProgress>? progress = null)
        => Downloader.PullAsync(new HubPullRequest(HubRepoId.Parse(repoId), revision, include), progress, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        if (OwnsCache && Directory.Exists(CacheDir))
        {
            Directory.Delete(CacheDir, recursive: true);
        }
    }
}
