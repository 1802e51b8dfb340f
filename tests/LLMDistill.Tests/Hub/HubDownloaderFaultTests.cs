using LLMDistill.Hub;

namespace LLMDistill.Tests.Hub;

public sealed class HubDownloaderFaultTests
{
    private const string Weights = "model.safetensors";
    private static readonly FakeHubRepo Repo = FakeHubRepo.Shakespeare1m();
    private static readonly byte[] WeightsContent = Repo.File(Weights).Content;

    [Fact]
    public async Task PullAsync_ConnectionDroppedHalfway_ResumesWithRangeAndVerifies()
    {
        await using var server = await FakeHubServer.StartAsync(Repo);
        server.DropOnce = Weights;
        await using var host = new HubTestHost(server.Endpoint);

        var snapshot = await host.PullAsync(Repo.Id);

        var cdn = server.FileRequests.Where(r => r.Kind == "cdn" && r.Path.EndsWith(Repo.File(Weights).Sha256, StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, cdn.Length);
        Assert.Null(cdn[0].Range);
        var resumeAt = long.Parse(cdn[1].Range!["bytes=".Length..^1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(resumeAt, 1, WeightsContent.Length - 1);
        Assert.True(server.BytesSent(Weights) < 2L * WeightsContent.Length, $"sent {server.BytesSent(Weights)} bytes for a {WeightsContent.Length}-byte file");
        Assert.Equal(WeightsContent, File.ReadAllBytes(Path.Combine(snapshot.Directory, Weights)));
        Assert.Contains(host.Logs, l => l.Contains("Resuming model.safetensors", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PullAsync_IncompleteFileFromEarlierRun_ResumesWhereItStopped()
    {
        await using var server = await FakeHubServer.StartAsync(Repo);
        await using var host = new HubTestHost(server.Endpoint);
        var blobs = Path.Combine(host.RepoDir(Repo.Id), "blobs");
        Directory.CreateDirectory(blobs);
        var half = WeightsContent.Length / 2;
        await File.WriteAllBytesAsync(Path.Combine(blobs, Repo.File(Weights).Sha256 + ".incomplete"), WeightsContent[..half]);

        var snapshot = await host.PullAsync(Repo.Id);

        Assert.Equal($"bytes={half}-", server.FileRequests.Single(r => r.Kind == "cdn").Range);
        Assert.Equal(WeightsContent.Length - half, server.BytesSent(Weights));
        Assert.Equal(WeightsContent, File.ReadAllBytes(Path.Combine(snapshot.Directory, Weights)));
        Assert.DoesNotContain(Directory.EnumerateFiles(blobs), f => f.EndsWith(".incomplete", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PullAsync_TransferStalls_TimesOutAndResumes()
    {
        await using var server = await FakeHubServer.StartAsync(Repo);
        server.StallOnce = Weights;
        await using var host = new HubTestHost(server.Endpoint, configure: o => o.ReadTimeout = TimeSpan.FromMilliseconds(300));

        var snapshot = await host.PullAsync(Repo.Id);

        Assert.StartsWith("bytes=", server.FileRequests.Last(r => r.Kind == "cdn").Range);
        Assert.Equal(WeightsContent, File.ReadAllBytes(Path.Combine(snapshot.Directory, Weights)));
        Assert.Contains(host.Logs, l => l.Contains("no data for 0.3 s", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PullAsync_ServerIgnoresRange_RestartsFromTheBeginning()
    {
        await using var server = await FakeHubServer.StartAsync(Repo);
        server.DropOnce = Weights;
        server.IgnoreRange = true;
        await using var host = new HubTestHost(server.Endpoint);

        var snapshot = await host.PullAsync(Repo.Id);

        Assert.Equal(WeightsContent, File.ReadAllBytes(Path.Combine(snapshot.Directory, Weights)));
        Assert.Contains(host.Logs, l => l.Contains("ignored the Range request", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(Weights, "sha256")]
    [InlineData("config.json", "git blob id")]
    public async Task PullAsync_CorruptedContent_FailsWithChecksumErrorAndLeavesNoFile(string file, string checksum)
    {
        await using var server = await FakeHubServer.StartAsync(Repo);
        server.CorruptFile = file;
        await using var host = new HubTestHost(server.Endpoint);

        var ex = await Assert.ThrowsAsync<HubException>(() => host.PullAsync(Repo.Id));

        Assert.Equal(HubErrorCategory.ChecksumMismatch, ex.Category);
        Assert.Contains($"'{file}'", ex.Message);
        Assert.Contains(checksum, ex.Message);
        Assert.Contains(Repo.File(file).Etag, ex.Message);
        var repoDir = host.RepoDir(Repo.Id);
        Assert.False(File.Exists(Path.Combine(repoDir, "snapshots", Repo.Commit, file)));
        Assert.DoesNotContain(Directory.EnumerateFiles(Path.Combine(repoDir, "blobs")), f => Path.GetFileName(f).StartsWith(Repo.File(file).Etag, StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(repoDir, "refs", "main")));
    }

    [Fact]
    public async Task PullAsync_TransientServerErrors_AreRetried()
    {
        await using var server = await FakeHubServer.StartAsync(Repo);
        server.ApiFailures = 2;
        await using var host = new HubTestHost(server.Endpoint);

        await host.PullAsync(Repo.Id);

        Assert.Equal(3, server.Requests.Count(r => r.Kind == "api"));
        Assert.Equal(2, host.Logs.Count(l => l.Contains("HubDownloader: Retry ", StringComparison.Ordinal) && l.Contains("503", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task PullAsync_PersistentServerErrors_FailAsUnavailableAfterRetries()
    {
        await using var server = await FakeHubServer.StartAsync(Repo);
        server.ApiFailures = 100;
        await using var host = new HubTestHost(server.Endpoint, configure: o => o.MaxRetries = 2);

        var ex = await Assert.ThrowsAsync<HubException>(() => host.PullAsync(Repo.Id));

        Assert.Equal(HubErrorCategory.Unavailable, ex.Category);
        Assert.Equal(503, ex.StatusCode);
        Assert.Contains("after 3 attempts", ex.Message);
        Assert.Equal(3, server.Requests.Count(r => r.Kind == "api"));
    }

    [Fact]
    public async Task PullAsync_UnknownRepository_FailsAsNotFoundWithoutRetry()
    {
        await using var server = await FakeHubServer.StartAsync(Repo);
        await using var host = new HubTestHost(server.Endpoint);

        var ex = await Assert.ThrowsAsync<HubException>(() => host.PullAsync("test-org/no-such-model"));

        Assert.Equal(HubErrorCategory.NotFound, ex.Category);
        Assert.Contains("repository 'test-org/no-such-model' not found", ex.Message);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task PullAsync_UnknownRevision_FailsAsNotFound()
    {
        await using var server = await FakeHubServer.StartAsync(Repo);
        await using var host = new HubTestHost(server.Endpoint);

        var ex = await Assert.ThrowsAsync<HubException>(() => host.PullAsync(Repo.Id, "no-such-branch"));

        Assert.Equal(HubErrorCategory.NotFound, ex.Category);
        Assert.Contains($"revision 'no-such-branch' not found in repository '{Repo.Id}'", ex.Message);
    }

    [Fact]
    public async Task PullAsync_TagRevision_ResolvesAndWritesItsRef()
    {
        await using var server = await FakeHubServer.StartAsync(Repo);
        await using var host = new HubTestHost(server.Endpoint);

        var snapshot = await host.PullAsync(Repo.Id, "v1.0");

        Assert.Equal(Repo.Commit, snapshot.CommitSha);
        Assert.Equal(Repo.Commit, File.ReadAllText(Path.Combine(host.RepoDir(Repo.Id), "refs", "v1.0")));
    }

    [Fact]
    public async Task PullAsync_HfEndpointVariable_IsHonoured()
    {
        await using var server = await FakeHubServer.StartAsync(Repo);
        await using var host = new HubTestHost(endpoint: null, new Dictionary<string, string> { ["HF_ENDPOINT"] = server.Endpoint.ToString() });

        var snapshot = await host.PullAsync(Repo.Id);

        Assert.Equal(server.Endpoint, host.Downloader.Endpoint);
        Assert.Equal(FakeHubRepo.DefaultFiles.Length, snapshot.DownloadedFiles);
    }

    [Fact]
    public async Task PullAsync_ConnectionRefused_FailsAtOnceAsOffline()
    {
        await using var host = new HubTestHost(ClosedPort.Endpoint());

        var ex = await Assert.ThrowsAsync<HubException>(() => host.PullAsync(Repo.Id));

        Assert.Equal(HubErrorCategory.Offline, ex.Category);
        Assert.Contains("cannot reach the Hugging Face Hub", ex.Message);
        Assert.Contains("connection refused", ex.Message);
        Assert.DoesNotContain(host.Logs, l => l.Contains("HubDownloader: Retry ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PullAsync_HfHubOffline_UsesTheCacheOrFailsWithoutNetwork()
    {
        await using var server = await FakeHubServer.StartAsync(Repo);
        await using var online = new HubTestHost(server.Endpoint);
        var offlineVariables = new Dictionary<string, string> { ["HF_HUB_OFFLINE"] = "1" };
        await using var offlineEmpty = new HubTestHost(server.Endpoint, offlineVariables);

        var ex = await Assert.ThrowsAsync<HubException>(() => offlineEmpty.PullAsync(Repo.Id));
        Assert.Equal(HubErrorCategory.Offline, ex.Category);
        Assert.Contains("HF_HUB_OFFLINE", ex.Message);
        Assert.Empty(server.Requests);

        await online.PullAsync(Repo.Id);
        var requests = server.Requests.Count;
        await using var offlineCached = new HubTestHost(server.Endpoint, offlineVariables, cacheDir: online.CacheDir);
        var snapshot = await offlineCached.PullAsync(Repo.Id);
        Assert.False(snapshot.UsedNetwork);
        Assert.Equal(requests, server.Requests.Count);
    }
}
