using System.CommandLine;
using LLMDistill.Cli;
using LLMDistill.Tests.Fixtures;

namespace LLMDistill.Tests.Hub;

public sealed class PullCommandTests
{
    private static readonly FakeHubRepo Repo = FakeHubRepo.Shakespeare1m();
    private static readonly TimeSpan CliTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public void Help_DescribesArgumentAndOptions()
    {
        using var output = new StringWriter();

        var exitCode = CliApp.BuildRootCommand().Parse(["pull", "--help"]).Invoke(new InvocationConfiguration { Output = output });

        Assert.Equal(0, exitCode);
        var help = output.ToString();
        Assert.Contains("<repo-id>", help);
        Assert.Contains("--revision <REV>", help);
        Assert.Contains("--cache-dir <DIR>", help);
        Assert.Contains("--include <PATTERN>", help);
        Assert.Contains("HF_TOKEN", help);
    }

    [Fact]
    public async Task Pull_Succeeds_PrintsOnlyTheSnapshotDirectory()
    {
        await using var server = await FakeHubServer.StartAsync(Repo);
        var cache = TempDir();
        try
        {
            var result = await CliProcess.RunAsync(
                Path.GetTempPath(),
                new Dictionary<string, string> { ["HF_ENDPOINT"] = server.Endpoint.ToString(), ["HF_HUB_CACHE"] = cache },
                CliTimeout,
                "pull", Repo.Id, "--revision", "v1.0", "--Hub:MaxConcurrentDownloads=2");

            Assert.True(result.Exit == 0, result.Stderr);
            Assert.Equal(string.Empty, result.Stderr);
            var expected = Path.Combine(cache, "models--test-org--shakespeare-1m", "snapshots", Repo.Commit);
            Assert.Equal(expected + Environment.NewLine, result.Stdout);
            Assert.Equal(FakeHubRepo.DefaultFiles.Order(), HubDownloaderTests.ListFiles(expected));
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }

    [Theory]
    [InlineData("test-org/no-such-model", null, "repository 'test-org/no-such-model' not found")]
    [InlineData("test-org/shakespeare-1m", "hf_required", "set HF_TOKEN")]
    public async Task Pull_Fails_ExitsNonZeroWithOneLineOnStderr(string repoId, string? requiredToken, string expected)
    {
        await using var server = await FakeHubServer.StartAsync(Repo);
        server.RequiredToken = requiredToken;
        var cache = TempDir();
        try
        {
            var result = await CliProcess.RunAsync(
                Path.GetTempPath(), new Dictionary<string, string> { ["HF_ENDPOINT"] = server.Endpoint.ToString() }, CliTimeout, "pull", repoId, "--cache-dir", cache);

            Assert.Equal(1, result.Exit);
            Assert.Equal(string.Empty, result.Stdout);
            var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Single(lines);
            Assert.StartsWith("llmdistill: error: ", lines[0]);
            Assert.Contains(expected, lines[0]);
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }

    private static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "llmdistill-hub-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
