using Microsoft.Extensions.Configuration;
using LLMDistill.Generation;
using LLMDistill.Generation.MultiTeacher;
using LLMDistill.Teachers;
using LLMDistill.Tests.Fixtures;

namespace LLMDistill.Tests.Generation;

public sealed class GenerationBehaviourTests
{
    [Fact]
    public async Task RunAsync_FatalTeacherError_StopsWithClearErrorAndSamplesIntact()
    {
        using var harness = new GenerationHarness();
        var teachers = GenerationHarness.Teachers();
        teachers["judge"].BeforeCall = call =>
        {
            if (call >= 25)
            {
                throw new TeacherException("judge", TeacherErrorCategory.Unavailable, "connection refused (http://127.0.0.1:9)");
            }
        };

        var error = await Assert.ThrowsAsync<TeacherException>(() => harness.RunAsync(harness.Options(target: 40), teachers));

        Assert.Contains("connection refused", error.Message, StringComparison.Ordinal);
        var written = await GenerationHarness.SamplesAsync(harness.Output());
        Assert.InRange(written.Count, 1, 39);
        var resumed = await harness.RunAsync(harness.Options(target: 40), GenerationHarness.Teachers());
        Assert.True(resumed.Manifest.Complete);
        var final = await GenerationHarness.SamplesAsync(harness.Output());
        Assert.Equal(40, final.Count);
        Assert.Subset(final.Select(s => s.Id).ToHashSet(), written.Select(s => s.Id).ToHashSet());
    }

    [Fact]
    public async Task RunAsync_NonFatalAnswerErrors_AreRejectedWithReasonAndCounted()
    {
        using var harness = new GenerationHarness();
        var teachers = GenerationHarness.Teachers();
        teachers["answerer"].BeforeCall = call =>
        {
            if (call % 5 == 0)
            {
                throw new TeacherException("answerer", TeacherErrorCategory.BadRequest, "context length exceeded", 400);
            }
        };

        var result = await harness.RunAsync(harness.Options(target: 25), teachers);

        var rejected = await GenerationHarness.RejectedAsync(result.OutputDirectory);
        var failed = rejected.Where(r => r.Reason == RejectionReasons.AnswerTeacherError).ToList();
        Assert.NotEmpty(failed);
        Assert.All(failed, r => Assert.Contains("context length exceeded", r.Detail, StringComparison.Ordinal));
        Assert.Equal(failed.Count, result.Manifest.Rejections[RejectionReasons.AnswerTeacherError]);
        Assert.Equal(25, result.Manifest.Counts["kept"]);
    }

    [Fact]
    public async Task RunAsync_MultiTeacherAllWithMixture_KeepsBothProvenancesAndMixedTargets()
    {
        using var harness = new GenerationHarness();
        var options = harness.Options(target: 12);
        options.AnswerTeachers.Add("second");
        options.MultiTeacher.Strategy = MultiTeacherStrategy.All;
        options.MultiTeacher.Mixture = true;
        options.MultiTeacher.MixtureTopK = 3;
        options.MultiTeacher.MixtureWeights["answerer"] = 3;

        var result = await harness.RunAsync(options, GenerationHarness.Teachers(1, "second"));

        var samples = await GenerationHarness.SamplesAsync(result.OutputDirectory);
        Assert.Equal(12, samples.Count);
        foreach (var sample in samples)
        {
            Assert.Equal("answerer", sample.Provenance.Teacher);
            Assert.Equal("second", Assert.Single(sample.Alternatives!).Teacher);
            Assert.Equal(0.75, sample.Provenance.TargetMixture!["answerer"]);
            Assert.Equal(0.25, sample.Provenance.TargetMixture["second"]);
            var context = sample.Instruction + (sample.Input is null ? "" : "\n\n" + sample.Input) + "\n\n";
            var own = TeacherScripts.Score(context, sample.Response, 3);
            var expected = TopKMixture.Mix([(3.0, own), (1.0, own)], 3);
            Assert.Equal(expected.Select(t => t.Logprob), sample.Logprobs!.Select(t => t.Logprob));
            Assert.Equal(3, sample.Logprobs![0].Top.Count);
        }
    }

    [Fact]
    public async Task RunAsync_CompletionMode_ContinuesOpenings()
    {
        using var harness = new GenerationHarness(TeacherMode.Completion);
        var options = harness.Options(TeacherMode.Completion, target: 20);

        var result = await harness.RunAsync(options, GenerationHarness.Teachers());

        var samples = await GenerationHarness.SamplesAsync(result.OutputDirectory);
        Assert.Equal(20, samples.Count);
        Assert.All(samples, s => Assert.Equal(TeacherMode.Completion, s.Mode));
        Assert.All(samples, s => Assert.Matches(@"^[A-Z][A-Z ]*:\n.+\n$", s.Instruction));
        Assert.Contains(samples, s => s.Provenance.Origin == "completion");
        Assert.Equal(TeacherMode.Completion, result.Manifest.Mode);
    }

    [Fact]
    public async Task RunAsync_TopFractionAndQuota_AreDeterministicAndRespected()
    {
        static async Task<(List<string> Ids, GenerationResult Result)> Run(int jitter)
        {
            using var harness = new GenerationHarness();
            var options = harness.Options(target: 20);
            options.Filter.TopFraction = 0.5;
            options.Filter.Window = 8;
            options.Filter.Quota = QuotaMode.Category;
            options.Filter.MaxQuotaFraction = 0.35;
            var result = await harness.RunAsync(options, GenerationHarness.Teachers(jitter));
            var samples = await GenerationHarness.SamplesAsync(result.OutputDirectory);
            Assert.All(samples.GroupBy(s => s.Provenance.Category), g => Assert.True(g.Count() <= 7, $"{g.Key}: {g.Count()}"));
            return (samples.Select(s => s.Id).Order(StringComparer.Ordinal).ToList(), result);
        }

        var (first, result) = await Run(1);
        var (second, _) = await Run(7);

        Assert.Equal(20, first.Count);
        Assert.Equal(first, second);
        Assert.True(result.Manifest.Rejections.ContainsKey(RejectionReasons.TopFraction));
        Assert.True(result.Manifest.Rejections.ContainsKey(RejectionReasons.Quota));
    }

    [Fact]
    public async Task RunAsync_MalformedSeedLineAndScoringTeacher_AreReportedAndUsed()
    {
        using var harness = new GenerationHarness();
        File.AppendAllText(Path.Combine(harness.Root, "seeds", "test.jsonl"), "{\"instruction\": \n");
        var options = harness.Options(target: 10);
        options.ScoringTeacher = "answerer";

        var result = await harness.RunAsync(options, GenerationHarness.Teachers());

        Assert.Contains(result.Manifest.Notes!, n => n.Contains("seeds/test.jsonl:13", StringComparison.Ordinal));
        Assert.Equal(1, result.Manifest.Counts["seedErrors"]);
        Assert.All(await GenerationHarness.SamplesAsync(result.OutputDirectory), s => Assert.NotNull(s.Scores!.Ifd));
    }

    [Fact]
    public async Task RunAsync_SeedsAsExamplesOnly_NeverBecomeSamples()
    {
        using var harness = new GenerationHarness();
        var options = harness.Options(target: 15);
        options.IncludeSeeds = false;

        var result = await harness.RunAsync(options, GenerationHarness.Teachers());

        var samples = await GenerationHarness.SamplesAsync(result.OutputDirectory);
        Assert.Equal(15, samples.Count);
        Assert.DoesNotContain(samples, s => s.Provenance.Origin == "seed");
        Assert.False(result.Manifest.Counts.ContainsKey("seeds"));
        Assert.Contains(await GenerationHarness.RejectedAsync(result.OutputDirectory), r => r.Reason == RejectionReasons.DuplicateExact); // copies of seeds
    }

    [Fact]
    public void ProgressLine_ShowsCountsRateEtaTokensAndCost()
    {
        var progress = new GenerationProgress(TimeSpan.FromSeconds(75), 200, 50, 12, new Dictionary<string, long> { ["answered"] = 60, ["judged"] = 55 },
            new Dictionary<string, long>(), [new TeacherUsageReport("t", 10, 1, 1500, 500, 0.0123m)], 0.5, TimeSpan.FromMinutes(5));

        var line = LLMDistill.Cli.Commands.Generate.ProgressFormat.Line(progress);

        Assert.Equal("generate: kept 50/200 (25.0%), rejected 12, answered 60, judged 55, 0.50 samples/s, eta 5m00s, tokens 2.0k, cost $0.0123, elapsed 1m15s", line);
    }

    [Fact]
    public void RepositoryAppSettings_GenerateSectionBindsAndValidates()
    {
        var configuration = RepositorySettings.Load();
        Assert.True(LLMDistill.Cli.Hosting.TeacherDefaults.Prepare(configuration)); // Mode auto; teacher roles from Teachers:Default

        var options = LLMDistill.Configuration.OptionsBinder.Bind<GenerateOptions>(configuration, GenerateOptions.SectionName);

        Assert.Equal(["seeds/*.jsonl", "seeds/*.txt"], options.EffectiveSeeds);
        Assert.Equal(4, options.Expand.EffectiveEvolOperators.Count);
        Assert.Equal(0.7, options.Dedupe.RougeLThreshold);
        Assert.Equal(("local", "local"), (options.ExpandTeacher, options.ScoringTeacher));
        Assert.Equal(["local"], options.AnswerTeachers);
    }

    [Fact]
    public void Constructor_InvalidOptions_NameTheKey()
    {
        var options = new GenerateOptions { ExpandTeacher = "x" };
        options.AnswerTeachers.Add("y");
        options.Filter.TopFraction = 0;

        var error = Assert.Throws<LLMDistill.Configuration.OptionsValidationException>(() => new GenerationPipeline(options, GenerationHarness.Teachers(), Microsoft.Extensions.Logging.Abstractions.NullLogger<GenerationPipeline>.Instance));

        Assert.Contains("Generate:Filter:TopFraction", error.Message, StringComparison.Ordinal);
    }
}
