using LLMDistill.Generation;
using LLMDistill.Generation.Merge;
using LLMDistill.Tests.Fixtures;

namespace LLMDistill.Tests.Generation;

public sealed class MergeTests
{
    [Fact]
    public async Task MergeAsync_TwoRunsWithOverlap_DedupesKeepsProvenanceAndAddsAlternatives()
    {
        using var harness = new GenerationHarness();
        var first = await harness.RunAsync(harness.Options(target: 20, output: "a"), GenerationHarness.Teachers());
        var secondOptions = harness.Options(target: 20, output: "b");
        secondOptions.AnswerTeachers.Clear();
        secondOptions.AnswerTeachers.Add("other");
        var second = await harness.RunAsync(secondOptions, GenerationHarness.Teachers(1, "other"));
        var a = await GenerationHarness.SamplesAsync(first.OutputDirectory);
        var b = await GenerationHarness.SamplesAsync(second.OutputDirectory);

        var manifest = await new DatasetMerger(new DedupeOptions(), 16).MergeAsync([first.OutputDirectory, second.OutputDirectory], harness.Output("merged"), force: false, null, CancellationToken.None);

        var merged = await GenerationHarness.SamplesAsync(harness.Output("merged"));
        var rejected = await GenerationHarness.RejectedAsync(harness.Output("merged"));
        Assert.Equal("merge", manifest.Kind);
        Assert.Equal(a.Count + b.Count, manifest.Counts["candidates"]);
        Assert.Equal(merged.Count, manifest.Counts["kept"]);
        Assert.Equal(rejected.Count, manifest.Counts["rejected"]);
        Assert.Equal(a.Select(s => s.Id), merged.Take(a.Count).Select(s => s.Id)); // earlier input wins, order kept
        Assert.True(merged.Count < a.Count + b.Count);
        var withAlternative = merged.Where(s => s.Alternatives is { Count: > 0 }).ToList();
        Assert.NotEmpty(withAlternative); // the same seed tasks were answered by "other" in run b
        Assert.All(withAlternative, s => Assert.Equal("other", s.Alternatives![0].Teacher));
        Assert.Equal(withAlternative.Count, manifest.Counts["alternativesAdded"]);
        Assert.Equal(2, manifest.Sources!.Count);
        Assert.All(merged, s => Assert.Equal(a.Concat(b).First(x => x.Id == s.Id).Provenance, s.Provenance));
        Assert.Contains(manifest.Teachers, t => t.Name == "other" && t.Role == "answer");
    }

    [Fact]
    public async Task MergeAsync_ExistingOutputWithoutForce_IsRefused()
    {
        using var harness = new GenerationHarness();
        var run = await harness.RunAsync(harness.Options(target: 8, output: "a"), GenerationHarness.Teachers());
        var merger = new DatasetMerger(new DedupeOptions(), 16);
        await merger.MergeAsync([run.OutputDirectory], harness.Output("m"), force: false, null, CancellationToken.None);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => merger.MergeAsync([run.OutputDirectory], harness.Output("m"), force: false, null, CancellationToken.None));
        Assert.Contains("--force", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidOperationException>(() => merger.MergeAsync([run.OutputDirectory], run.OutputDirectory, force: true, null, CancellationToken.None));
        var again = await merger.MergeAsync([run.OutputDirectory, run.OutputDirectory], harness.Output("m"), force: true, null, CancellationToken.None);
        Assert.Equal(8, again.Counts["kept"]);
        Assert.Equal(8, again.Rejections["merge:duplicate-id"]);
    }

    [Fact]
    public async Task MergeAsync_Rescore_ReplacesJudgePart()
    {
        using var harness = new GenerationHarness();
        var run = await harness.RunAsync(harness.Options(target: 6, output: "a"), GenerationHarness.Teachers());
        var judge = new FakeTeacher("strict", r => new LLMDistill.Teachers.TeacherResponse("strict", "strict-m", [new LLMDistill.Teachers.TeacherChoice("{\"rationale\": \"meh\", \"score\": 1}", "stop", null)], default));
        var prompts = LLMDistill.Generation.Prompts.PromptLibrary.Load(Path.Combine(SharedPaths.RepoRoot, "prompts"), ["judge"]);
        var rescorer = new JudgeRescorer(judge, prompts, new ScoreOptions(), 1);

        var manifest = await new DatasetMerger(new DedupeOptions(), 16).MergeAsync([run.OutputDirectory], harness.Output("m"), false, rescorer.RescoreAsync, CancellationToken.None);

        Assert.Equal(6, manifest.Counts["rescored"]);
        Assert.All(await GenerationHarness.SamplesAsync(harness.Output("m")), s => Assert.Equal(0, s.Scores!.Judge));
    }
}
