using LLMDistill.Data;
using LLMDistill.Generation;
using LLMDistill.Teachers;
using LLMDistill.Tests.Fixtures;

namespace LLMDistill.Tests.Generation;

public sealed class GenerationPipelineTests
{
    [Fact]
    public async Task RunAsync_DeterministicTeacher_CompletesWithConsistentManifestAndProvenance()
    {
        using var harness = new GenerationHarness();
        var options = harness.Options(target: 40);
        var result = await harness.RunAsync(options, GenerationHarness.Teachers());

        var samples = await GenerationHarness.SamplesAsync(result.OutputDirectory);
        var rejected = await GenerationHarness.RejectedAsync(result.OutputDirectory);
        var manifest = result.Manifest;
        Assert.True(manifest.Complete);
        Assert.Equal(40, samples.Count);
        Assert.Equal(samples.Count, manifest.Counts["kept"]);
        Assert.Equal(rejected.Count, manifest.Counts["rejected"]);
        Assert.Equal(manifest.Counts["kept"] + manifest.Counts["rejected"], manifest.Counts["candidates"]);
        Assert.Equal(manifest.Counts["rejected"], manifest.Rejections.Values.Sum());
        foreach (var group in rejected.GroupBy(r => r.Reason))
        {
            Assert.Equal(group.LongCount(), manifest.Rejections[group.Key]);
        }

        Assert.Equal(samples.Count, samples.Select(s => s.Id).Distinct().Count());
        Assert.Equal(rejected.Count, rejected.Select(r => r.Key).Distinct().Count());
        var reasons = string.Join(", ", manifest.Rejections.Select(kv => $"{kv.Key}={kv.Value}"));
        Assert.True(rejected.Any(r => r.Reason == RejectionReasons.DuplicateExact), reasons);
        Assert.Contains(rejected, r => r.Reason == RejectionReasons.TaskNeedsNonText);
        Assert.Contains(samples, s => s.Provenance.Origin == "self-instruct");
        foreach (var sample in samples)
        {
            Assert.False(string.IsNullOrWhiteSpace(sample.Provenance.SeedId));
            Assert.False(string.IsNullOrWhiteSpace(sample.Provenance.TemplateHash));
            Assert.Equal("answerer", sample.Provenance.Teacher);
            Assert.Equal("answerer-model", sample.Provenance.Model);
            Assert.NotNull(sample.Provenance.Sampling.Seed);
            Assert.NotNull(sample.Scores);
            Assert.NotNull(sample.Scores!.Judge);
            Assert.InRange(sample.Scores.Combined, 0, 1);
            Assert.NotNull(sample.Logprobs);
        }

        Assert.Equal(3, manifest.Shards.Count);
        Assert.Contains(manifest.Teachers, t => t.Role == "judge" && t.Models.Contains("judge-model"));
        Assert.True(manifest.Usage.Sum(u => u.Requests) > 0);
        Assert.True(File.Exists(Path.Combine(result.OutputDirectory, "manifest.json")));
    }
}
