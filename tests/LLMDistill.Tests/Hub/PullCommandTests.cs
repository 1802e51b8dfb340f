using System.CommandLine;
using System.Diagnostics;
using LLMDistill.Cli;

namespace LLMDistill.Tests.Hub;

public sealed class PullCommandTests
{
    private static readonly FakeHubRepo Repo = FakeHubRepo.Shakespeare1m();

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
            var result = await RunCliAsync(["pull", Repo.Id, "--revision", "v1.0", "--Hub:MaxConcurrentDownloads=2"],
                new() { ["HF_ENDPOINT"] = server.Endpoint.ToString(), ["HF_HUB_CACHE"] = cache });

            Assert.True(result.ExitCode == 0, result.Stderr);
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
            var result = await RunCliAsync(["pull", repoId, "--cache-dir", cache], new() { ["HF_ENDPOINT"] = server.Endpoint.ToString() });

            Assert.Equal(1, result.ExitCode);
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

    /// <summary>Runs the real CLI in a child process, so its environment (HF_*), stdout, stderr and exit code are its own.</summary>
    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunCliAsync(string[] args, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "llmdistill.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("HF_", StringComparison.Ordinal) || k.StartsWith("LLMDISTILL_", StringComparison.Ordinal)).ToArray())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
