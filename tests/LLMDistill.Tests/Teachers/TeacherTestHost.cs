using LLMDistill.Teachers;
using LLMDistill.Tests.Fixtures;
using Microsoft.Extensions.Configuration;

namespace LLMDistill.Tests.Teachers;

/// <summary>A <see cref="TeacherFactory"/> over in-memory configuration, a fake environment, captured logs and a temporary cache folder.</summary>
internal sealed class TeacherTestHost : IAsyncDisposable
{
    private readonly bool _ownsCache;

    private TeacherTestHost(TeacherFactory factory, CapturingLoggerProvider logs, string cacheDirectory, bool ownsCache)
    {
        Factory = factory;
        Logs = logs;
        CacheDirectory = cacheDirectory;
        _ownsCache = ownsCache;
    }

    public TeacherFactory Factory { get; }

    public CapturingLoggerProvider Logs { get; }

    public string CacheDirectory { get; }

    /// <summary>Settings of a fast-failing OpenAI-compatible teacher at <paramref name="endpoint"/>; <paramref name="overrides"/> win.</summary>
    public static Dictionary<string, string?> OpenAiTeacher(string name, Uri endpoint, params (string Key, string? Value)[] overrides)
    {
        var settings = new Dictionary<string, string?>
        {
            [$"Teachers:{name}:Kind"] = "openai",
            [$"Teachers:{name}:Endpoint"] = endpoint.AbsoluteUri,
            [$"Teachers:{name}:Model"] = "fake-model",
            [$"Teachers:{name}:Mode"] = "chat",
            [$"Teachers:{name}:AttemptTimeoutSeconds"] = "5",
            [$"Teachers:{name}:TotalTimeoutSeconds"] = "20",
            [$"Teachers:{name}:MaxRetries"] = "3",
            [$"Teachers:{name}:RetryBaseDelaySeconds"] = "0.01",
            [$"Teachers:{name}:Cache"] = "false",
        };
        foreach (var (key, value) in overrides)
        {
            settings[$"Teachers:{name}:{key}"] = value;
        }

        return settings;
    }

    /// <summary>Builds the factory; the cache lives in a fresh temporary folder unless <c>Teachers:CacheDirectory</c> is given.</summary>
    public static TeacherTestHost Create(
        IDictionary<string, string?> settings,
        IDictionary<string, string>? environment = null,
        TimeProvider? timeProvider = null,
        IEnumerable<ITeacherClientProvider>? providers = null)
    {
        var all = new Dictionary<string, string?>(settings);
        var ownsCache = all.TryAdd("Teachers:CacheDirectory", Path.Combine(Path.GetTempPath(), "llmdistill-tests", "teachers-" + Guid.NewGuid().ToString("N")));

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(all).Build();
        var env = environment ?? new Dictionary<string, string>();
        var logs = new CapturingLoggerProvider();
        var factory = new TeacherFactory(configuration, providers ?? [], logs, timeProvider ?? TimeProvider.System, name => env.TryGetValue(name, out var v) ? v : null);
        return new TeacherTestHost(factory, logs, all["Teachers:CacheDirectory"]!, ownsCache);
    }

    /// <summary>A fresh temporary folder, deleted by the returned handle.</summary>
    public static TemporaryDirectory TemporaryCache() => new(Path.Combine(Path.GetTempPath(), "llmdistill-tests", "teachers-" + Guid.NewGuid().ToString("N")));

    public static TeacherRequest Chat(string user, int topLogprobs = 0, int n = 1, int? seed = null, int maxTokens = 32)
        => new([new ChatTurn("user", user)], null, new SamplingParameters(0.5f, 0.9f, maxTokens, seed), topLogprobs, n);

    public static TeacherRequest Completion(string prompt, int topLogprobs = 0, int n = 1, int maxTokens = 32)
        => new(null, prompt, new SamplingParameters(0.5f, 0.9f, maxTokens), topLogprobs, n);

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        if (_ownsCache && Directory.Exists(CacheDirectory))
        {
            Directory.Delete(CacheDirectory, recursive: true);
        }
    }
}

/// <summary>A temporary folder removed on dispose.</summary>
internal sealed class TemporaryDirectory(string path) : IDisposable
{
    public string Path { get; } = path;

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
