using LLMDistill.Hub;
using LLMDistill.Tests.Fixtures;

namespace LLMDistill.Tests.Hub;

public sealed class ModelLocatorTests
{
    private const string Setting = "Teachers:local:Model";
    private static readonly FakeHubRepo Repo = FakeHubRepo.Shakespeare1m();

    [Fact]
    public async Task ResolveAsync_ExistingDirectory_IsUsedAsIs()
    {
        await using var host = new HubTestHost(ClosedPort.Endpoint());
        var dir = SharedPaths.Model("shakespeare-1m");

        var location = await host.Locator.ResolveAsync(dir, Setting, null, CancellationToken.None);

        Assert.Equal(Path.GetFullPath(dir), location.Directory);
        Assert.Null(location.Snapshot);
    }

    [Fact]
    public async Task ResolveAsync_MissingDirectory_NamesTheSettingAndSuggestsHfPrefix()
    {
        await using var host = new HubTestHost(ClosedPort.Endpoint());

        var ex = await Assert.ThrowsAsync<HubException>(() => host.Locator.ResolveAsync("some-org/some-model", Setting, null, CancellationToken.None));

        Assert.Equal(HubErrorCategory.NotFound, ex.Category);
        Assert.StartsWith($"{Setting}: model directory 'some-org/some-model' does not exist", ex.Message);
        Assert.Contains("hf:some-org/some-model", ex.Message);
    }

    [Fact]
    public async Task ResolveAsync_HubReference_PullsOnceThenUsesTheCacheWithoutNetwork()
    {
        await using var server = await FakeHubServer.StartAsync(Repo);
        await using var host = new HubTestHost(server.Endpoint);

        var first = await host.Locator.ResolveAsync($"hf:{Repo.Id}", Setting, null, CancellationToken.None);
        var requests = server.Requests.Count;
        var second = await host.Locator.ResolveAsync($"hf:{Repo.Id}@main", Setting, null, CancellationToken.None);

        Assert.Equal(Path.Combine(host.RepoDir(Repo.Id), "snapshots", Repo.Commit), first.Directory);
        Assert.Equal(first.Directory, second.Directory);
        Assert.Equal(Repo.Commit, second.Snapshot!.CommitSha);
        Assert.False(second.Snapshot.UsedNetwork);
        Assert.Equal(requests, server.Requests.Count);
        Assert.True(File.Exists(Path.Combine(second.Directory, "model.safetensors")));
    }

    [Fact]
    public async Task ResolveAsync_IncompleteCachedSnapshot_PullsTheMissingFiles()
    {
        await using var server = await FakeHubServer.StartAsync(Repo);
        await using var host = new HubTestHost(server.Endpoint);
        var first = await host.Locator.ResolveAsync($"hf:{Repo.Id}", Setting, null, CancellationToken.None);
        File.Delete(Path.Combine(first.Directory, "tokenizer.json"));

        var again = await host.Locator.ResolveAsync($"hf:{Repo.Id}", Setting, null, CancellationToken.None);

        Assert.True(again.Snapshot!.UsedNetwork);
        Assert.True(File.Exists(Path.Combine(again.Directory, "tokenizer.json")));
    }

    [Fact]
    public async Task ResolveAsync_HubUnreachable_OneLineNamingTheLocalDirectoryOption()
    {
        await using var host = new HubTestHost(ClosedPort.Endpoint());

        var ex = await Assert.ThrowsAsync<HubException>(() => host.Locator.ResolveAsync("hf:HuggingFaceTB/SmolLM2-135M-Instruct", Setting, null, CancellationToken.None));

        Assert.Equal(HubErrorCategory.Offline, ex.Category);
        Assert.Contains("cannot reach the Hugging Face Hub", ex.Message);
        Assert.Contains("--Teachers:local:Model=../shared/models/shakespeare-4m", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public async Task ResolveAsync_HfHubOfflineAndNotCached_NamesTheLocalDirectoryOption()
    {
        await using var host = new HubTestHost(ClosedPort.Endpoint(), new Dictionary<string, string> { ["HF_HUB_OFFLINE"] = "true" });

        var ex = await Assert.ThrowsAsync<HubException>(() => host.Locator.ResolveAsync($"hf:{Repo.Id}", "Teachers:smol:Model", null, CancellationToken.None));

        Assert.Contains("HF_HUB_OFFLINE", ex.Message);
        Assert.Contains("--Teachers:smol:Model=<directory>", ex.Message);
    }

    [Theory]
    [InlineData("hf:bad--id", "may not contain '--'")]
    [InlineData("hf:org/name@", "revision is empty")]
    [InlineData("", "no model given")]
    public async Task ResolveAsync_MalformedReference_NamesTheSetting(string reference, string expected)
    {
        await using var host = new HubTestHost(ClosedPort.Endpoint());

        var ex = await Assert.ThrowsAsync<HubException>(() => host.Locator.ResolveAsync(reference, Setting, null, CancellationToken.None));

        Assert.StartsWith($"{Setting}:", ex.Message);
        Assert.Contains(expected, ex.Message);
    }
}
