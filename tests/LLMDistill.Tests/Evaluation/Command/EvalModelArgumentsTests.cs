using LLMDistill.Cli.Commands.Eval;
using LLMDistill.Hub;
using LLMDistill.Tests.Evaluation.Service;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LLMDistill.Tests.Evaluation.Command;

public sealed class EvalModelArgumentsTests : IDisposable
{
    private readonly ServiceProvider _hub = new ServiceCollection().AddLlmDistillHub(new HubOptions { CacheDir = Path.GetTempPath() }).BuildServiceProvider();

    private ModelLocator Locator => _hub.GetRequiredService<ModelLocator>();

    public void Dispose() => _hub.Dispose();

    [Fact]
    public async Task StudentsAsync_NamesFromDirectoriesOrNameEqualsPrefix()
    {
        var specs = await EvalModelArguments.StudentsAsync(["kd=" + EvalFixtures.Small, EvalFixtures.Large], Locator, CancellationToken.None);
        Assert.Equal([("kd", EvalFixtures.Small), ("shakespeare-4m", EvalFixtures.Large)], specs.Select(s => (s.Name, s.Directory)));
    }

    [Fact]
    public async Task StudentsAsync_SameDirectoryNameTwice_GetsDistinctNames()
    {
        var specs = await EvalModelArguments.StudentsAsync([EvalFixtures.Small, EvalFixtures.Small, EvalFixtures.Small], Locator, CancellationToken.None);
        Assert.Equal(["shakespeare-1m", "models/shakespeare-1m", "shakespeare-1m-2"], specs.Select(s => s.Name));
    }

    [Fact]
    public async Task TeachersAsync_ConfiguredTeachers_LocalKindRunsInProcessOthersAreApi()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Teachers:big:Kind"] = "local",
            ["Teachers:big:Model"] = EvalFixtures.Large,
            ["Teachers:gpt:Kind"] = "openai",
            ["Teachers:gpt:Model"] = "gpt-4o-mini",
        }).Build();

        var specs = await EvalModelArguments.TeachersAsync(["big", "gpt", "small=" + EvalFixtures.Small], configuration, Locator, CancellationToken.None);

        Assert.Equal([("big", EvalFixtures.Large), ("gpt", null), ("small", EvalFixtures.Small)], specs.Select(s => (s.Name, s.Directory)));
        Assert.False(specs[1].IsLocal);
    }

    [Fact]
    public async Task TeachersAsync_LocalTeacherWithoutModel_FailsNamingTheKey()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Teachers:big:Kind"] = "local" }).Build();
        var ex = await Assert.ThrowsAsync<HubException>(() => EvalModelArguments.TeachersAsync(["big"], configuration, Locator, CancellationToken.None));
        Assert.Contains("Teachers:big:Model", ex.Message);
    }

    [Fact]
    public void TeacherConfigView_KeepsOnlyTheUsedTeachersAndPoolSettings()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Teachers:CacheDirectory"] = "cache",
            ["Teachers:Default"] = "local-one",
            ["Teachers:local-one:Kind"] = "local",
            ["Teachers:gpt:Kind"] = "openai",
            ["Teachers:gpt:Model"] = "gpt-4o-mini",
            ["Eval:MaxSamples"] = "5",
        }).Build();

        var view = TeacherConfigView.Select(configuration, ["gpt"]);

        Assert.Equal(
            new Dictionary<string, string?> { ["Teachers:CacheDirectory"] = "cache", ["Teachers:gpt"] = null, ["Teachers:gpt:Kind"] = "openai", ["Teachers:gpt:Model"] = "gpt-4o-mini", ["Teachers"] = null },
            view.AsEnumerable().ToDictionary(kv => kv.Key, kv => kv.Value));
    }
}
