using LLMDistill.Hub;

namespace LLMDistill.Tests.Hub;

public sealed class HubCacheBehaviourTests
{
    private static readonly FakeHubRepo Repo = FakeHubRepo.Shakespeare1m();

    [Fact]
    public async Task PullAsync_CacheFilledByPythonTools_IsReusedOnlineAndOffline()
    {
        await using var server = await FakeHubServer.StartAsync(Repo);
        await using var online = new HubTestHost(server.Endpoint);
        WritePythonStyleCache(online.RepoDir(Repo.Id));

        var offlineHost = new HubTestHost(server.Endpoint, new Dictionary<string, string> { ["HF_HUB_OFFLINE"] = "1" }, cacheDir: online.CacheDir);
        await using (offlineHost)
        {
            var offline = await offlineHost.PullAsync(Repo.Id);
            Assert.False(offline.UsedNetwork);
            Assert.Equal(FakeHubRepo.DefaultFiles.Order(), offline.Files.Order());
            Assert.Empty(server.Requests);
        }

        var snapshot = await online.PullAsync(Repo.Id);

        Assert.Empty(server.FileRequests);
        Assert.Equal(0, snapshot.DownloadedFiles);
        Assert.Equal(Repo.File("model.safetensors").Content, File.ReadAllBytes(Path.Combine(snapshot.Directory, "model.safetensors")));
    }

    [Fact]
    public async Task PullAsync_ManyFiles_DownloadsConcurrentlyWithinTheLimit()
    {
        await using var server = await FakeHubServer.StartAsync(Repo);
        server.ResponseDelay = TimeSpan.FromMilliseconds(250);
        await using var host = new HubTestHost(server.Endpoint, configure: o => o.MaxConcurrentDownloads = 2);

        await host.PullAsync(Repo.Id);

        Assert.Equal(2, server.MaxConcurrentFileResponses);
    }

    [Fact]
    public async Task PullAsync_Cancelled_KeepsThePartialFileForTheNextRun()
    {
        await using var server = await FakeHubServer.StartAsync(Repo);
        server.StallOnce = "model.safetensors";
        await using var host = new HubTestHost(server.Endpoint);
        var weights = Repo.File("model.safetensors");
        var half = weights.Content.Length / 2;
        var incomplete = Path.Combine(host.RepoDir(Repo.Id), "blobs", weights.Sha256 + ".incomplete");
        using var cancel = new CancellationTokenSource();
        var pull = host.Downloader.PullAsync(new HubPullRequest(HubRepoId.Parse(Repo.Id)), null, cancel.Token);

        await server.Stalled.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await WaitUntilAsync(() => File.Exists(incomplete) && new FileInfo(incomplete).Length == half);
        await cancel.CancelAsync(); // Ctrl+C while the transfer hangs (the read timeout is 10 s)
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pull);

        Assert.Equal(half, new FileInfo(incomplete).Length);
        var snapshot = await host.PullAsync(Repo.Id);
        Assert.Equal($"bytes={weights.Content.Length / 2}-", server.FileRequests.Last(r => r.Kind == "cdn").Range);
        Assert.Equal(weights.Content, File.ReadAllBytes(Path.Combine(snapshot.Directory, weights.Path)));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 30 s");
            await Task.Delay(10);
        }
    }

    /// <summary>What huggingface_hub leaves after a download: blobs, relative symlinks, refs/main, and none of LLMDistill's notes.</summary>
    private static void WritePythonStyleCache(string repoDir)
    {
        var blobs = Directory.CreateDirectory(Path.Combine(repoDir, "blobs")).FullName;
        var snapshot = Directory.CreateDirectory(Path.Combine(repoDir, "snapshots", Repo.Commit)).FullName;
        foreach (var name in FakeHubRepo.DefaultFiles)
        {
            var file = Repo.File(name);
            File.WriteAllBytes(Path.Combine(blobs, file.Etag), file.Content);
            File.CreateSymbolicLink(Path.Combine(snapshot, name), Path.Combine("..", "..", "blobs", file.Etag));
        }

        Directory.CreateDirectory(Path.Combine(repoDir, "refs"));
        File.WriteAllText(Path.Combine(repoDir, "refs", "main"), Repo.Commit);
    }
}
