using System.Globalization;
using System.Text.RegularExpressions;
using LLMDistill.Tests.Fixtures;
using LLMDistill.Tests.Fixtures.OpenAiServer;

namespace LLMDistill.Tests.Acceptance;

/// <summary>
/// Issue "Done when": a 2,000-sample (default) chat run of the real <c>llmdistill generate</c> against a scripted
/// OpenAI-compatible server (expansion, answers with logprobs, judge verdicts as structured output) completes and its
/// manifest adds up; every sample carries the judge's score as the server gave it.
/// </summary>
public sealed partial class ScriptedChatAcceptanceTests
{
    private static readonly int Target = AcceptancePaths.Samples(2000);

    [Fact]
    public async Task Generate_ChatRunAgainstScriptedServer_CompletesAndAddsUpWithServerJudgeScores()
    {
        using var paths = new AcceptancePaths();
        await using var server = await ScriptedOpenAiServer.StartAsync();
        server.Default = ScriptedTeacher.Replies();

        var (exit, stdout, stderr) = await CliProcess.RunAsync(SharedPaths.RepoRoot, null, AcceptancePaths.Timeout(Target, perSample: 0.06),
            ["generate", "--config", AcceptancePaths.Config("scripted-chat.json"), .. paths.Scratch("chat"), "--Teachers:scripted:Endpoint=" + server.V1, "--Generate:TargetSamples=" + Target]);

        Assert.True(exit == 0, $"exit {exit}: {CliProcess.Tail(stderr)}");
        Assert.Contains($"generate: {Target} samples in ", stdout, StringComparison.Ordinal);
        var audit = await DatasetAudit.AssertAddsUpAsync(paths.Output("chat"), Target);
        audit.AssertEveryCandidateDecided();
        var counts = audit.Manifest.Counts;
        Assert.True(counts["generated"] > Target / 2, "most samples come from expansion, not the 72 seeds");
        Assert.Contains(audit.Rejected, r => r.Reason == "dedupe:exact"); // the script copies examples on purpose
        Assert.Contains(audit.Samples, s => s.Provenance.Origin!.StartsWith("evol:", StringComparison.Ordinal));
        Assert.Contains(audit.Samples, s => s.Provenance.Origin == "self-instruct");
        Assert.All(audit.Samples, s =>
        {
            Assert.Equal("scripted", s.Provenance.Teacher);
            Assert.Equal("scripted-chat", s.Provenance.Model);
            Assert.Equal(5, s.Logprobs![0].Top.Count);
            var grade = int.Parse(Grade().Match(s.Scores!.JudgeRationale!).Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.Equal((grade - 1) / 9.0, s.Scores.Judge!.Value, 9); // the server's verdict, not a default
        });
        Assert.True(audit.Samples.Select(s => s.Scores!.Judge).Distinct().Count() >= 5, "judge scores vary with the sample");
        var usage = Assert.Single(audit.Manifest.Usage);
        Assert.Equal(server.HitCount, usage.Requests); // every HTTP request is accounted for (nothing was cached)
        Assert.Equal(counts["judged"], server.Requests.Count(r => r.Body.Contains("\"response_format\"", StringComparison.Ordinal)));
    }

    [GeneratedRegex(@"deterministic grade (\d+)")]
    private static partial Regex Grade();
}
