using LLMDistill.Data;
using LLMDistill.Tests.Fixtures;
using LLMDistill.Tests.Fixtures.OpenAiServer;
using Xunit.Abstractions;

namespace LLMDistill.Tests.Acceptance;

/// <summary>
/// Issue "Done when": kill -9 of the real <c>llmdistill generate</c> process at three random points, then the same
/// command again: the final dataset equals, as a set, an uninterrupted run with the same seed. The teacher is the
/// scripted server (replies depend only on the request, with random latency so completion order differs between runs);
/// the interrupted series has its own response cache, so its attempts really talk to the server.
/// </summary>
public sealed class KillResumeAcceptanceTests(ITestOutputHelper output)
{
    private static readonly int Target = AcceptancePaths.Samples(300);

    [Theory]
    [InlineData(7)]
    [InlineData(42)]
    public async Task Generate_KilledThreeTimesThenResumed_EqualsUninterruptedRunAsSet(int seed)
    {
        using var paths = new AcceptancePaths();
        await using var server = await ScriptedOpenAiServer.StartAsync();
        server.Default = ScriptedTeacher.Replies(maxDelayMs: 20);
        string[] Args(string output) =>
        [
            "generate", "--config", AcceptancePaths.Config("scripted-chat.json"), .. paths.Scratch(output, output + "-cache"),
            "--Teachers:scripted:Endpoint=" + server.V1, "--Generate:TargetSamples=" + Target,
            "--Generate:Pipeline:FlushEvery=8", "--Generate:Pipeline:ProgressIntervalSeconds=0.5",
        ];

        var (exit, _, stderr) = await CliProcess.RunAsync(SharedPaths.RepoRoot, null, AcceptancePaths.Timeout(Target), Args("reference"));
        Assert.True(exit == 0, $"reference run: exit {exit}: {CliProcess.Tail(stderr)}");
        var referenceHits = server.HitCount;
        var expected = DatasetAudit.Canonical((await DatasetAudit.AssertAddsUpAsync(paths.Output("reference"), Target)).Samples);

        var random = new Random(seed);
        var onDisk = new List<int>();
        for (var kill = 0; kill < 3; kill++)
        {
            // Each attempt gets 8-28% of the reference run's requests before the kill, so the three kills land before the end.
            var killAt = server.HitCount + (int)(referenceHits * (0.08 + (0.2 * random.NextDouble())));
            using var run = CliProcess.Start(SharedPaths.RepoRoot, null, Args("killed"));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (server.HitCount < killAt && !run.HasExited && clock.Elapsed < AcceptancePaths.Timeout(Target))
            {
                await Task.Delay(2);
            }

            Assert.False(run.HasExited, $"attempt {kill} ended before its kill point ({server.HitCount}/{killAt} requests): {CliProcess.Tail(run.Stderr)}");
            run.Kill();
            onDisk.Add(DatasetDirectory.FindSampleFiles(paths.Output("killed")).Sum(f => File.ReadLines(f).Count()));
        }

        output.WriteLine($"reference: {referenceHits} requests; samples on disk after each kill: {string.Join(", ", onDisk)}; requests so far {server.HitCount}");
        Assert.True(onDisk[^1] > 0 && onDisk[^1] < Target, $"a partial dataset to resume (samples on disk after each kill: {string.Join(", ", onDisk)})");
        (exit, var stdout, stderr) = await CliProcess.RunAsync(SharedPaths.RepoRoot, null, AcceptancePaths.Timeout(Target), Args("killed"));

        Assert.True(exit == 0, $"resumed run: exit {exit}: {CliProcess.Tail(stderr)}");
        Assert.Contains($"generate: {Target} samples in ", stdout, StringComparison.Ordinal);
        var resumed = await DatasetAudit.AssertAddsUpAsync(paths.Output("killed"), Target);
        Assert.Equal(expected, DatasetAudit.Canonical(resumed.Samples));
        output.WriteLine($"resumed: {server.HitCount} requests in all, rejected {resumed.Manifest.Counts["rejected"]}");
    }
}
