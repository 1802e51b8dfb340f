using LLMDistill.Cli.Serving;
using LLMDistill.Teachers;
using LLMDistill.Tests.Teachers;

namespace LLMDistill.Tests.Serving;

/// <summary>shakespeare-4m served on a free loopback port (no API key), plus the same model in process for reference answers.</summary>
public sealed class ServerFixture : IAsyncLifetime, IDisposable
{
    private readonly LocalModelFixture _models = new();
    private ModelServer? _server;
    private LocalTeacher? _direct;

    public ModelServer Server => _server ?? throw new InvalidOperationException("not initialised");

    public LocalModelFixture Models => _models;

    /// <summary>The served model as a teacher, in process: what the server must agree with.</summary>
    public LocalTeacher Direct => _direct ?? throw new InvalidOperationException("not initialised");

    public async Task InitializeAsync()
    {
        await _models.InitializeAsync();
        _server = await ModelServer.StartAsync(_models.Model, new ServeOptions { Port = 0 }, apiKey: null, loggerFactory: null, CancellationToken.None);
        _direct = new LocalTeacher("direct", _models.Model, ownsModel: false);
    }

    public void Dispose() => _direct?.Dispose(); // does not own the model

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _direct?.Dispose();
        await _models.DisposeAsync();
    }

    /// <summary>Settings of an <c>openai</c> teacher (our API-teacher adapter over the OpenAI SDK) pointed at the server.</summary>
    public Dictionary<string, string?> Teacher(string name, string mode, params (string Key, string? Value)[] overrides)
        => TeacherTestHost.OpenAiTeacher(name, Server.BaseAddress, [("Model", "shakespeare-4m"), ("Mode", mode), ("MaxRetries", "0"), .. overrides]);
}
