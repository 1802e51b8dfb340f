using System.Runtime.CompilerServices;
using LLMDistill.Configuration;
using LLMDistill.Teachers;

namespace LLMDistill.Tests.Teachers;

/// <summary>A stand-in for the Training project's <c>local</c> provider: proves the kind plugs in and gets every decorator.</summary>
internal sealed class FakeLocalProvider(Func<ITeacherClient>? create = null) : ITeacherClientProvider
{
    public string Kind => TeacherKinds.Local;

    public List<ITeacherClient> Created { get; } = [];

    public void Validate(TeacherDefinition definition)
    {
        if (string.IsNullOrEmpty(definition.Section["ModelDirectory"]))
        {
            throw new OptionsValidationException($"{definition.ConfigKey("ModelDirectory")}: required for kind 'local'");
        }
    }

    public ValueTask<ITeacherClient> CreateAsync(TeacherDefinition definition, CancellationToken cancellationToken)
    {
        var client = create?.Invoke() ?? new FakeLocalTeacher(definition.Name);
        Created.Add(client);
        return ValueTask.FromResult(client);
    }
}

/// <summary>An in-process teacher that streams and scores; counts its calls and can fail on demand.</summary>
internal sealed class FakeLocalTeacher(string name) : IStreamingTeacherClient, IScoringTeacherClient, ITeacherCacheIdentity, IAsyncDisposable
{
    public string Name => name;

    public TeacherCapabilities Capabilities { get; } = new(true, true, 20, FullLogits: true, StructuredOutput: false);

    public string CacheIdentity { get; set; } = "weights-v1";

    public int Calls { get; private set; }

    public Queue<Exception> Failures { get; } = new();

    public bool Disposed { get; private set; }

    public Task<TeacherResponse> CompleteAsync(TeacherRequest request, CancellationToken cancellationToken)
    {
        Calls++;
        if (Failures.TryDequeue(out var failure))
        {
            throw failure;
        }

        var text = $"local answer {Calls}";
        return Task.FromResult(new TeacherResponse(Name, "mini", [new TeacherChoice(text, "stop", null)], new TokenUsage(3, 3)));
    }

    public async IAsyncEnumerable<TeacherStreamDelta> StreamAsync(TeacherRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Calls++;
        await Task.Yield();
        yield return new TeacherStreamDelta("local ", null, null, null);
        yield return new TeacherStreamDelta("stream", null, null, null);
        yield return new TeacherStreamDelta("", null, "stop", new TokenUsage(2, 2));
    }

    public Task<IReadOnlyList<TokenLogprob>> ScoreAsync(string context, string continuation, int topLogprobs, CancellationToken cancellationToken)
    {
        Calls++;
        return Task.FromResult<IReadOnlyList<TokenLogprob>>([new TokenLogprob(continuation, null, -0.5, [], TokenId: 7)]);
    }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }
}

/// <summary>A teacher that only completes.</summary>
internal sealed class PlainTeacher(string name) : ITeacherClient
{
    public string Name => name;

    public TeacherCapabilities Capabilities { get; } = new(true, false, 0, false, false);

    public Task<TeacherResponse> CompleteAsync(TeacherRequest request, CancellationToken cancellationToken)
        => Task.FromResult(new TeacherResponse(Name, "plain", [new TeacherChoice("ok", "stop", null)], new TokenUsage(1, 1)));
}

public sealed class LocalProviderTests
{
    private static Dictionary<string, string?> LocalSettings(params (string Key, string? Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Teachers:mini:Kind"] = "local",
            ["Teachers:mini:ModelDirectory"] = "models/mini",
            ["Teachers:mini:RetryBaseDelaySeconds"] = "0.01",
        };
        foreach (var (key, value) in extra)
        {
            settings[$"Teachers:mini:{key}"] = value;
        }

        return settings;
    }

    [Fact]
    public async Task LocalKind_RegisteredProvider_IsWrappedInCacheAccountingAndResilience()
    {
        var provider = new FakeLocalProvider();
        await using var host = TeacherTestHost.Create(LocalSettings(("PromptPricePerMillion", "0")), providers: [provider]);

        var teacher = await host.Factory.GetAsync("mini", CancellationToken.None);
        var raw = (FakeLocalTeacher)Assert.Single(provider.Created);
        var first = await teacher.CompleteAsync(TeacherTestHost.Chat("hi"), CancellationToken.None);
        var second = await teacher.CompleteAsync(TeacherTestHost.Chat("hi"), CancellationToken.None);
        var scores = await ((IScoringTeacherClient)teacher).ScoreAsync("a", "b", 0, CancellationToken.None);
        var rescored = await ((IScoringTeacherClient)teacher).ScoreAsync("a", "b", 0, CancellationToken.None);

        Assert.IsAssignableFrom<IStreamingTeacherClient>(teacher);
        Assert.True(teacher.Capabilities.FullLogits);
        Assert.Equal("local answer 1", second.Text);
        Assert.True(second.FromCache);
        Assert.False(first.FromCache);
        Assert.Equal(7, Assert.Single(rescored).TokenId);
        Assert.Equal(scores.Count, rescored.Count);
        Assert.Equal(2, raw.Calls);
        var usage = Assert.Single(host.Factory.Usage());
        Assert.Equal((4L, 2L, 5L), (usage.Requests, usage.CacheHits, usage.PromptTokens)); // 3 prompt tokens, then context "a" + 1 scored token
    }

    [Fact]
    public async Task LocalKind_NewCacheIdentity_MissesTheOldCache()
    {
        using var cache = TeacherTestHost.TemporaryCache();
        var settings = LocalSettings();
        settings["Teachers:CacheDirectory"] = cache.Path;
        var v2 = new FakeLocalTeacher("mini") { CacheIdentity = "weights-v2" };

        await using (var first = TeacherTestHost.Create(settings, providers: [new FakeLocalProvider()]))
        {
            await (await first.Factory.GetAsync("mini", CancellationToken.None)).CompleteAsync(TeacherTestHost.Chat("hi"), CancellationToken.None);
        }

        await using var second = TeacherTestHost.Create(settings, providers: [new FakeLocalProvider(() => v2)]);
        var response = await (await second.Factory.GetAsync("mini", CancellationToken.None)).CompleteAsync(TeacherTestHost.Chat("hi"), CancellationToken.None);

        Assert.False(response.FromCache);
        Assert.Equal(1, v2.Calls);
    }

    [Fact]
    public async Task LocalKind_TransientFailure_IsRetried()
    {
        var raw = new FakeLocalTeacher("mini");
        raw.Failures.Enqueue(new TeacherException("mini", TeacherErrorCategory.Unavailable, "device busy"));
        await using var host = TeacherTestHost.Create(LocalSettings(("Cache", "false")), providers: [new FakeLocalProvider(() => raw)]);
        var teacher = await host.Factory.GetAsync("mini", CancellationToken.None);

        var response = await teacher.CompleteAsync(TeacherTestHost.Chat("hi"), CancellationToken.None);

        Assert.Equal("local answer 2", response.Text);
        Assert.Equal(2, raw.Calls);
    }

    [Fact]
    public async Task LocalKind_StreamIsCachedAndReplayed()
    {
        var raw = new FakeLocalTeacher("mini");
        await using var host = TeacherTestHost.Create(LocalSettings(), providers: [new FakeLocalProvider(() => raw)]);
        var teacher = (IStreamingTeacherClient)await host.Factory.GetAsync("mini", CancellationToken.None);

        async Task<string> ReadAsync()
        {
            var text = "";
            await foreach (var delta in teacher.StreamAsync(TeacherTestHost.Chat("hi"), CancellationToken.None))
            {
                text += delta.Text;
            }

            return text;
        }

        Assert.Equal("local stream", await ReadAsync());
        Assert.Equal("local stream", await ReadAsync());
        Assert.Equal(1, raw.Calls);
    }

    [Fact]
    public async Task PlainClient_ViewExposesNoStreamingOrScoring()
    {
        await using var host = TeacherTestHost.Create(LocalSettings(), providers: [new FakeLocalProvider(() => new PlainTeacher("mini"))]);

        var teacher = await host.Factory.GetAsync("mini", CancellationToken.None);

        Assert.False(teacher is IStreamingTeacherClient);
        Assert.False(teacher is IScoringTeacherClient);
        Assert.Equal("ok", (await teacher.CompleteAsync(TeacherTestHost.Chat("hi"), CancellationToken.None)).Text);
    }

    [Fact]
    public void LocalKind_ProviderValidation_RunsAtStartup()
    {
        var settings = LocalSettings(("ModelDirectory", ""));

        var error = Assert.Throws<OptionsValidationException>(() => TeacherTestHost.Create(settings, providers: [new FakeLocalProvider()]));

        Assert.Equal("Teachers:mini:ModelDirectory: required for kind 'local'", error.Message);
    }

    [Fact]
    public async Task DisposeAsync_DisposesCreatedClients()
    {
        var raw = new FakeLocalTeacher("mini");
        var host = TeacherTestHost.Create(LocalSettings(), providers: [new FakeLocalProvider(() => raw)]);
        await host.Factory.GetAsync("mini", CancellationToken.None);

        await host.DisposeAsync();

        Assert.True(raw.Disposed);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => host.Factory.GetAsync("mini", CancellationToken.None).AsTask());
    }
}
