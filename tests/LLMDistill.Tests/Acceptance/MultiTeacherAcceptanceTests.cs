using LLMDistill.Cli.Commands.Generate;
using LLMDistill.Generation.MultiTeacher;
using LLMDistill.Teachers;
using LLMDistill.Tests.Fixtures;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace LLMDistill.Tests.Acceptance;

/// <summary>
/// Issue "Done when": a multi-teacher run of the real <c>llmdistill generate</c> with shakespeare-4m and
/// shakespeare-1m as local teachers (one tokenizer) writes samples with both provenances and mixed top-k targets.
/// The targets are checked against both teachers scored again in this process and mixed with the configured weights.
/// </summary>
public sealed class MultiTeacherAcceptanceTests
{
    private const int Target = 24;
    private const int MixtureTopK = 8;

    [Fact]
    public async Task Generate_TwoLocalTeachersWithMixture_WritesBothProvenancesAndMixedTopKTargets()
    {
        using var paths = new AcceptancePaths();
        string[] models = ["--Teachers:t4m:Model=" + SharedPaths.Model("shakespeare-4m"), "--Teachers:t1m:Model=" + SharedPaths.Model("shakespeare-1m")];

        var (exit, _, stderr) = await CliProcess.RunAsync(SharedPaths.RepoRoot, null, TimeSpan.FromSeconds(90),
            ["generate", "--config", AcceptancePaths.Config("multi-teacher.json"), .. paths.Scratch("multi"), .. models, "--Generate:TargetSamples=" + Target]);

        Assert.True(exit == 0, $"exit {exit}: {CliProcess.Tail(stderr)}");
        var audit = await DatasetAudit.AssertAddsUpAsync(paths.Output("multi"), Target);
        audit.AssertEveryCandidateDecided();
        Assert.Equal(["t1m", "t4m"], audit.Samples.Select(s => s.Provenance.Teacher).Distinct().Order(StringComparer.Ordinal));
        Assert.All(audit.Samples, s =>
        {
            var other = Assert.Single(s.Alternatives!);
            Assert.Equal(s.Provenance.Teacher == "t4m" ? "t1m" : "t4m", other.Teacher);
            Assert.Equal(other.Teacher == "t4m" ? "shakespeare-4m" : "shakespeare-1m", other.Model);
            Assert.False(string.IsNullOrEmpty(other.Response));
            Assert.Equal(new Dictionary<string, double> { ["t4m"] = 0.75, ["t1m"] = 0.25 }, s.Provenance.TargetMixture);
            Assert.All(s.Logprobs!, position => Assert.InRange(position.Top.Count, 2, MixtureTopK));
        });

        // The stored targets are the 0.75/0.25 mixture of both teachers' top-k over the chosen answer.
        var configuration = new ConfigurationBuilder().AddJsonFile(AcceptancePaths.Config("multi-teacher.json"))
            .AddCommandLine([.. models, "--Teachers:CacheDirectory=" + paths.Output("verify-cache"), "--Teachers:t4m:Cache=false", "--Teachers:t1m:Cache=false"]).Build();
        await using var teachers = DefaultTeachers.Create(configuration, NullLoggerFactory.Instance);
        var t4m = (IScoringTeacherClient)await teachers.GetAsync("t4m", CancellationToken.None);
        var t1m = (IScoringTeacherClient)await teachers.GetAsync("t1m", CancellationToken.None);
        foreach (var sample in audit.Samples.Take(4))
        {
            var big = await t4m.ScoreAsync(sample.Instruction, sample.Response, MixtureTopK, CancellationToken.None);
            var small = await t1m.ScoreAsync(sample.Instruction, sample.Response, MixtureTopK, CancellationToken.None);
            var expected = TopKMixture.Mix([(0.75, big), (0.25, small)], MixtureTopK);

            Assert.Equal(expected.Count, sample.Logprobs!.Count);
            for (var i = 0; i < expected.Count; i++)
            {
                Assert.Equal(expected[i].Token, sample.Logprobs[i].Token);
                Assert.Equal(expected[i].Logprob, sample.Logprobs[i].Logprob, 3);
                Assert.Equal(expected[i].Top.Select(t => t.Token), sample.Logprobs[i].Top.Select(t => t.Token));
            }

            // A real mixture: it differs from the 4m teacher's own distribution where the teachers disagree.
            Assert.Contains(Enumerable.Range(0, big.Count), i => Math.Abs(big[i].Logprob - sample.Logprobs[i].Logprob) > 1e-3);
        }
    }
}
