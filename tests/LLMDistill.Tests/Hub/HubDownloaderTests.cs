using System.Buffers.Binary;
using System.Text.Json;
using LLMDistill.Hub;
using LLMDistill.Tests.Fixtures;

namespace LLMDistill.Tests.Hub;

public sealed class HubDownloaderTests
{
    private static readonly FakeHubRepo Repo = FakeHubRepo.Shakespeare1m();

    [Fact]
    public async Task PullAsync_DefaultPatterns_DownloadsModelFilesIntoHfCacheLayout()
    {
        await using var server = await FakeHubServer.StartAsync(Repo);
        await using var host = new HubTestHost(server.Endpoint);

        var snapshot = await host.PullAsync(Repo.Id);

        var repoDir = host.RepoDir(Repo.Id);
        Assert.Equal(Path.Combine(repoDir, "snapshots", Repo.Commit), snapshot.Directory);
        Assert.Equal(Repo.Commit, snapshot.CommitSha);
        Assert.Equal(FakeHubRepo.DefaultFiles.Order(), ListFiles(snapshot.Directory));
        Assert.Equal(FakeHubRepo.DefaultFiles.Order(), snapshot.Files.Order());
        Assert.Equal(Repo.Commit, File.ReadAllText(Path.Combine(repoDir, "refs", "main")));
        foreach (var name in FakeHubRepo.DefaultFiles)
        {
            var file = Path.Combine(snapshot.Directory, name);
            Assert.Equal(File.ReadAllBytes(Path.Combine(SharedPaths.Model("shakespeare-1m"), name)), File.ReadAllBytes(file));
            Assert.Equal(Path.Combine("..", "..", "blobs", Repo.File(name).Etag), new FileInfo(file).LinkTarget); // relative, like huggingface_hub
        }

        Assert.Equal(FakeHubRepo.DefaultFiles.Select(f => Repo.File(f).Etag).Order(), ListFiles(Path.Combine(repoDir, "blobs")));
        var requested = server.FileRequests.Select(r => r.Path).ToArray();
        Assert.DoesNotContain(requested, p => p.EndsWith(".bin", StringComparison.Ordinal) || p.Contains("onnx") || p.EndsWith(".gguf", StringComparison.Ordinal)
            || p.EndsWith("README.md", StringComparison.Ordinal) || p.EndsWith("reference.json", StringComparison.Ordinal));
        Assert.Equal(FakeHubRepo.DefaultFiles.Length, snapshot.DownloadedFiles);
        AssertLoadsAsModelDirectory(snapshot.Directory);
    }

    [Fact]
    public async Task PullAsync_SecondPull_MakesOnlyTheRevisionCall()
    {
        await using var server = await FakeHubServer.StartAsync(Repo);
        await using var host = new HubTestHost(server.Endpoint);
        await host.PullAsync(Repo.Id);
        var fileRequests = server.FileRequests.Count();

        var again = await host.PullAsync(Repo.Id);

        Assert.Equal(fileRequests, server.FileRequests.Count());
        Assert.Equal(2, server.Requests.Count(r => r.Kind == "api"));
        Assert.Equal(0, again.DownloadedFiles);
        Assert.Equal(0, again.TransferredBytes);
    }

    [Fact]
    public async Task PullAsync_CachedCommitHash_MakesNoRequestAtAll()
    {
        await using var server = await FakeHubServer.StartAsync(Repo);
        await using var host = new HubTestHost(server.Endpoint);
        await host.PullAsync(Repo.Id);
        var requests = server.Requests.Count;

        var snapshot = await host.PullAsync(Repo.Id, Repo.Commit);

        Assert.Equal(requests, server.Requests.Count);
        Assert.False(snapshot.UsedNetwork);
        Assert.Equal(FakeHubRepo.DefaultFiles.Order(), snapshot.Files.Order());
    }

    [Fact]
    public async Task PullAsync_SnapshotFileDeleted_RelinksFromBlobWithoutDownloading()
    {
        await using var server = await FakeHubServer.StartAsync(Repo);
        await using var host = new HubTestHost(server.Endpoint);
        var first = await host.PullAsync(Repo.Id);
        File.Delete(Path.Combine(first.Directory, "model.safetensors"));
        var fileRequests = server.FileRequests.Count();

        var again = await host.PullAsync(Repo.Id);

        Assert.Equal(fileRequests, server.FileRequests.Count());
        Assert.Equal(Repo.File("model.safetensors").Content, File.ReadAllBytes(Path.Combine(again.Directory, "model.safetensors")));
    }

    [Fact]
    public async Task PullAsync_Include_AddsMatchingFilesToTheDefaults()
    {
        await using var server = await FakeHubServer.StartAsync(Repo);
        await using var host = new HubTestHost(server.Endpoint);

        var snapshot = await host.PullAsync(Repo.Id, include: ["*.bin", "onnx/"]);

        Assert.Equal(FakeHubRepo.DefaultFiles.Append("pytorch_model.bin").Append("onnx/model.onnx").Order(), ListFiles(snapshot.Directory));
        Assert.Equal(Repo.File("onnx/model.onnx").Content, File.ReadAllBytes(Path.Combine(snapshot.Directory, "onnx", "model.onnx")));
    }

    [Fact]
    public async Task PullAsync_NoFileMatches_FailsListingWhatTheRepoHas()
    {
        await using var server = await FakeHubServer.StartAsync(Repo);
        await using var host = new HubTestHost(server.Endpoint, configure: o => o.AllowPatterns = ["*.xyz"]);

        var ex = await Assert.ThrowsAsync<HubException>(() => host.PullAsync(Repo.Id));

        Assert.Equal(HubErrorCategory.NotFound, ex.Category);
        Assert.Contains("*.xyz", ex.Message);
        Assert.Contains("model.safetensors", ex.Message);
        Assert.Contains("--include", ex.Message);
    }

    [Fact]
    public async Task PullAsync_SymlinksDisabled_SnapshotHoldsVerifiedCopies()
    {
        await using var server = await FakeHubServer.StartAsync(Repo);
        await using var host = new HubTestHost(server.Endpoint, configure: o => o.UseSymlinks = false);

        var snapshot = await host.PullAsync(Repo.Id);

        var weights = Path.Combine(snapshot.Directory, "model.safetensors");
        Assert.Null(new FileInfo(weights).LinkTarget);
        Assert.Equal(Repo.File("model.safetensors").Content, File.ReadAllBytes(weights));
    }

    [Fact]
    public async Task PullAsync_Progress_ReportsBytesUpToTheTotal()
    {
        await using var server = await FakeHubServer.StartAsync(Repo);
        await using var host = new HubTestHost(server.Endpoint);
        var reports = new List<HubDownloadProgress>();
        var progress = new SynchronousProgress(reports);

        await host.PullAsync(Repo.Id, progress: progress);

        var totalSize = FakeHubRepo.DefaultFiles.Sum(f => (long)Repo.File(f).Content.Length);
        lock (reports)
        {
            var last = reports[^1];
            Assert.Equal(totalSize, last.TotalSize);
            Assert.Equal(totalSize, last.TotalBytes);
            Assert.Equal(totalSize, last.TransferredBytes);
            Assert.Equal(FakeHubRepo.DefaultFiles.Length, last.FilesTotal);
            Assert.Equal(FakeHubRepo.DefaultFiles.Length, last.FilesCompleted);
            Assert.Equal(FakeHubRepo.DefaultFiles.Order(), reports.Where(r => r.FileCompleted).Select(r => r.File).Order());
            Assert.True(reports.Max(r => r.BytesPerSecond) > 0);
        }
    }

    internal static string[] ListFiles(string dir)
        => Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(dir, f).Replace('\\', '/')).Order().ToArray();

    /// <summary>What a model loader reads first: config.json parses, and model.safetensors has a valid header whose tensors fill the file.</summary>
    private static void AssertLoadsAsModelDirectory(string dir)
    {
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "config.json")));
        Assert.True(config.RootElement.GetProperty("hidden_size").GetInt32() > 0);
        var weights = File.ReadAllBytes(Path.Combine(dir, "model.safetensors"));
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(weights);
        using var header = JsonDocument.Parse(weights.AsMemory(8, headerLength));
        var end = header.RootElement.EnumerateObject().Where(p => p.Name != "__metadata__")
            .Max(p => p.Value.GetProperty("data_offsets")[1].GetInt64());
        Assert.Equal(weights.Length, 8 + headerLength + end);
        using var tokenizer = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "tokenizer.json")));
        Assert.True(tokenizer.RootElement.TryGetProperty("model", out _));
    }

    /// <summary>Collects reports on the calling thread (Progress&lt;T&gt; would post them later).</summary>
    internal sealed class SynchronousProgress(List<HubDownloadProgress> reports) : IProgress<HubDownloadProgress>
    {
        public void Report(HubDownloadProgress value)
        {
            lock (reports)
            {
                reports.Add(value);
            }
        }
    }
}
