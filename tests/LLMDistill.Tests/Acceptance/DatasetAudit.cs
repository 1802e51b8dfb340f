using LLMDistill.Data;

namespace LLMDistill.Tests.Acceptance;

/// <summary>What a finished dataset directory holds, read from its files, after checking that its manifest adds up.</summary>
/// <param name="Manifest">manifest.json.</param>
/// <param name="Samples">Every sample, in file order.</param>
/// <param name="Rejected">Every rejected candidate, in file order.</param>
internal sealed record DatasetAudit(DatasetManifest Manifest, IReadOnlyList<DistillationSample> Samples, IReadOnlyList<RejectedSample> Rejected)
{
    /// <summary>
    /// Reads <paramref name="directory"/> and asserts the issue's "the manifest adds up": complete, candidates = kept +
    /// rejected, kept = the sample lines = the shard counts = the target, rejected = the sum of the reasons = the lines
    /// of rejected.jsonl, per reason; unique sample ids and candidate keys; every sample with provenance and scores.
    /// </summary>
    public static async Task<DatasetAudit> AssertAddsUpAsync(string directory, int target)
    {
        var manifest = DatasetDirectory.TryReadManifest(directory) ?? throw new Xunit.Sdk.XunitException($"no manifest in {directory}");
        var dataset = DatasetDirectory.Open(directory);
        var samples = await dataset.ReadAllSamplesAsync(CancellationToken.None);
        var rejected = new List<RejectedSample>();
        await foreach (var r in dataset.ReadRejectedAsync(CancellationToken.None))
        {
            rejected.Add(r);
        }

        var counts = manifest.Counts;
        Assert.True(manifest.Complete, "the run is complete");
        Assert.Equal(target, counts["kept"]);
        Assert.Equal(counts["kept"], samples.Count);
        Assert.Equal(counts["kept"], manifest.Shards.Sum(s => (long)s.Samples));
        Assert.Equal(counts["kept"] + counts["rejected"], counts["candidates"]);
        Assert.Equal(counts["rejected"], manifest.Rejections.Values.Sum());
        Assert.Equal(counts["rejected"], rejected.Count);
        var byReason = rejected.GroupBy(r => r.Reason).ToDictionary(g => g.Key, g => (long)g.Count());
        Assert.Equal(manifest.Rejections.OrderBy(r => r.Key, StringComparer.Ordinal), byReason.OrderBy(r => r.Key, StringComparer.Ordinal));
        Assert.Equal(samples.Count, samples.Select(s => s.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(rejected.Count, rejected.Select(r => r.Key).Distinct(StringComparer.Ordinal).Count());
        Assert.All(samples, s =>
        {
            Assert.False(string.IsNullOrEmpty(s.Provenance.Teacher));
            Assert.False(string.IsNullOrEmpty(s.Provenance.Model));
            Assert.False(string.IsNullOrEmpty(s.Provenance.TemplateHash));
            Assert.NotNull(s.Scores);
            Assert.InRange(s.Scores.Combined, 0, 1);
        });
        return new DatasetAudit(manifest, samples, rejected);
    }

    /// <summary>
    /// For a run that was never interrupted: every candidate that entered deduplication (seeds and generated tasks)
    /// was decided exactly once, kept or rejected.
    /// </summary>
    public void AssertEveryCandidateDecided()
    {
        var counts = Manifest.Counts;
        Assert.Equal(counts.GetValueOrDefault("seeds") + counts.GetValueOrDefault("generated"), counts["candidates"]);
    }

    /// <summary>A canonical line per sample (id, instruction, response, teacher, scores) for set comparisons.</summary>
    public static SortedSet<string> Canonical(IEnumerable<DistillationSample> samples)
        => new(samples.Select(s => string.Join('\u241F', s.Id, s.Instruction, s.Input ?? "", s.Response, s.Provenance.Teacher, s.Provenance.Model, s.Scores?.Combined.ToString("R", System.Globalization.CultureInfo.InvariantCulture) ?? "")), StringComparer.Ordinal);
}
