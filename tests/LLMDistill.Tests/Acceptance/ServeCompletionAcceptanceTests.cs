using LLMDistill.Teachers;
using LLMDistill.Tests.Fixtures;

namespace LLMDistill.Tests.Acceptance;

/// <summary>
/// Issue "Done when" (CI size): a completion-mode run of the real <c>llmdistill generate</c> against the real
/// <c>llmdistill serve</c> with shakespeare-4m, through an <c>openai</c>-kind teacher that expands, answers (top-k
/// logprobs) and scores (echo) over HTTP with an API key. The 2,000-sample run is
/// <c>bench/acceptance/serve-completion.sh</c>, with the same config.
/// </summary>
public sealed class ServeCompletionAcceptanceTests
{
    private const int Target = 100;

    [Fact]
    public async Task Generate_CompletionRunAgainstServeProcess_CompletesAndAddsUp()
    {
        using var paths = new AcceptancePaths();
        var key = new Dictionary<string, string> { ["LLMDISTILL_SERVE_API_KEY"] = "acceptance-" + Guid.NewGuid().ToString("N") };
        using var serve = CliProcess.Start(SharedPaths.RepoRoot, key, "serve", "--model", SharedPaths.Model("shakespeare-4m"), "--port", "0", "--device", "cpu");
        var url = await FirstLineAsync(serve, TimeSpan.FromSeconds(60));
        Assert.Matches(@"^http://127\.0\.0\.1:\d+/v1$", url);

        var (exit, stdout, stderr) = await CliProcess.RunAsync(SharedPaths.RepoRoot, key, TimeSpan.FromSeconds(120),
            ["generate", "--config", AcceptancePaths.Config("serve-completion.json"), .. paths.Scratch("served"), "--Teachers:served:Endpoint=" + url, "--Generate:TargetSamples=" + Target]);

        Assert.True(exit == 0, $"exit {exit}: {CliProcess.Tail(stderr)}");
        Assert.Contains($"generate: {Target} samples in ", stdout, StringComparison.Ordinal);
        var audit = await DatasetAudit.AssertAddsUpAsync(paths.Output("served"), Target);
        audit.AssertEveryCandidateDecided();
        Assert.True(audit.Manifest.Counts["generated"] > 0, "expansion over HTTP produced openings");
        Assert.Contains(audit.Samples, s => s.Provenance.Origin == "completion");
        Assert.All(audit.Samples, s =>
        {
            Assert.Equal(TeacherMode.Completion, s.Mode);
            Assert.Equal("served", s.Provenance.Teacher);
            Assert.Equal("shakespeare-4m", s.Provenance.Model); // the model name the server reported
            Assert.False(string.IsNullOrWhiteSpace(s.Response));
            Assert.Equal(s.Response, string.Concat(s.Logprobs!.Select(l => l.Token))); // top-k targets align with the text
            Assert.All(s.Logprobs!, l => Assert.Equal(5, l.Top.Count));
            Assert.True(s.Scores!.Perplexity > 1 && s.Scores.Ifd > 0, "perplexity and IFD come from echo scoring on the server");
            Assert.Null(s.Scores.Judge);
        });
        var usage = Assert.Single(audit.Manifest.Usage);
        Assert.True(usage.Requests >= Target * 3, $"answer + two scoring requests per sample, plus expansion ({usage.Requests})");
    }

    private static async Task<string> FirstLineAsync(CliProcess run, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (run.Stdout.IndexOf('\n', StringComparison.Ordinal) is var end and > 0)
            {
                return run.Stdout[..end];
            }

            Assert.False(run.HasExited, $"serve exited: {CliProcess.Tail(run.Stderr)}");
            await Task.Delay(50);
        }

        throw new TimeoutException($"serve printed no URL within {timeout.TotalSeconds:F0} s");
    }
}
