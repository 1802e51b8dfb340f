using System.Globalization;
using LLMDistill.Data;
using LLMDistill.Generation.Dedupe;
using LLMDistill.Generation.Pipeline;
using LLMDistill.Teachers;

namespace LLMDistill.Generation.Merge;

/// <summary>
/// <c>llmdistill merge</c>: combines dataset directories into one, in argument order. A sample whose id is already
/// kept, or whose task is a near duplicate (ROUGE-L) of a kept task, is rejected with the reason; one whose task is
/// exactly a kept task but answered by another teacher becomes an alternative of the kept sample, with its
/// provenance. Samples are otherwise written unchanged, optionally re-scored. Two passes, so memory holds the dedupe
/// index and the alternatives, not the samples.
/// </summary>
public sealed class DatasetMerger(DedupeOptions dedupe, int shardSize)
{
    /// <summary>Merges <paramref name="inputs"/> into <paramref name="output"/>.</summary>
    /// <param name="inputs">Dataset directories, earlier ones win.</param>
    /// <param name="output">The new dataset directory.</param>
    /// <param name="force">Replace an existing dataset in <paramref name="output"/>.</param>
    /// <param name="rescore">Recomputes a kept sample's scores (null keeps them).</param>
    /// <param name="cancellationToken">Cancels the merge.</param>
    /// <returns>The manifest written.</returns>
    /// <exception cref="InvalidOperationException">Bad arguments: no input, output is an input or already holds a dataset, or inputs mix modes.</exception>
    public async Task<DatasetManifest> MergeAsync(IReadOnlyList<string> inputs, string output, bool force, Func<DistillationSample, CancellationToken, Task<TeachingScores>>? rescore, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentException.ThrowIfNullOrWhiteSpace(output);
        var started = DateTimeOffset.UtcNow;
        var sources = Validate(inputs, output, force);
        var plan = await PlanAsync(sources, cancellationToken);
        var mode = plan.Mode ?? TeacherMode.Chat;
        Directory.CreateDirectory(output);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var rejections = new Dictionary<string, long>(StringComparer.Ordinal);
        IReadOnlyList<ManifestShard> shards;
        await using (var samples = await ShardedSampleWriter.OpenAsync(output, shardSize, cancellationToken))
        await using (var rejected = new JsonlAppender(Path.Combine(output, DatasetDirectory.RejectedFileName)))
        {
            foreach (var r in plan.Rejected)
            {
                await rejected.AppendAsync(r, DatasetJson.Default.RejectedSample, cancellationToken);
                rejections[r.Reason] = rejections.GetValueOrDefault(r.Reason) + 1;
            }

            for (var i = 0; i < sources.Count; i++)
            {
                await foreach (var sample in sources[i].ReadSamplesAsync(cancellationToken))
                {
                    if (!plan.Kept.TryGetValue(Position(i, sample.Id), out var alternatives))
                    {
                        continue;
                    }

                    var merged = alternatives.Count == 0 ? sample : sample with { Alternatives = [.. sample.Alternatives ?? [], .. alternatives] };
                    if (rescore is not null)
                    {
                        merged = merged with { Scores = await rescore(merged, cancellationToken) };
                        counts["rescored"] = counts.GetValueOrDefault("rescored") + 1;
                    }

                    await samples.AppendAsync(merged, cancellationToken);
                }
            }

            await samples.FlushAsync(cancellationToken);
            shards = samples.Shards;
        }

        var kept = shards.Sum(s => s.Samples);
        counts["kept"] = kept;
        counts["rejected"] = rejections.Values.Sum();
        counts["candidates"] = kept + counts["rejected"];
        counts["alternativesAdded"] = plan.Kept.Values.Sum(a => a.Count);
        var manifests = sources.Select(s => s.Manifest).OfType<DatasetManifest>().ToList();
        var manifest = new DatasetManifest(
            DatasetManifest.CurrentFormatVersion,
            "merge",
            ContentHash.Of([.. sources.Select(s => s.Manifest?.ConfigHash ?? s.Path), dedupe.RougeLThreshold.ToString(CultureInfo.InvariantCulture)]),
            sources.Select((s, i) => (Key: "input" + i, Value: s.Manifest?.ConfigHash ?? "none")).ToDictionary(x => x.Key, x => x.Value),
            true,
            mode,
            0,
            0,
            started,
            DateTimeOffset.UtcNow,
            counts,
            rejections,
            manifests.SelectMany(m => m.Teachers).GroupBy(t => (t.Name, t.Role)).Select(g => new ManifestTeacher(g.Key.Name, g.Key.Role, g.SelectMany(t => t.Models).Distinct().Order(StringComparer.Ordinal).ToList())).ToList(),
            manifests.SelectMany(m => m.Templates).GroupBy(t => t.Key).ToDictionary(g => g.Key, g => string.Join(",", g.Select(t => t.Value).Distinct())),
            manifests.SelectMany(m => m.Usage).GroupBy(u => u.Teacher).Select(g => new TeacherUsageReport(g.Key, g.Sum(u => u.Requests), g.Sum(u => u.CacheHits), g.Sum(u => u.PromptTokens), g.Sum(u => u.CompletionTokens), g.Sum(u => u.CostUsd))).ToList(),
            new Dictionary<string, double> { ["wall"] = Math.Round((DateTimeOffset.UtcNow - started).TotalSeconds, 3) },
            shards,
            sources.Select(s => s.Path).ToList(),
            plan.Notes);
        RunManifest.Write(output, manifest);
        return manifest;
    }

    private async Task<MergePlan> PlanAsync(List<DatasetDirectory> sources, CancellationToken cancellationToken)
    {
        var index = new NearDuplicateIndex(dedupe.RougeLThreshold, dedupe.MinHashBands, dedupe.MinHashRows);
        var plan = new MergePlan();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var byKey = new Dictionary<string, (string Position, string Teacher)>(StringComparer.Ordinal);
        for (var i = 0; i < sources.Count; i++)
        {
            await foreach (var sample in sources[i].ReadSamplesAsync(cancellationToken))
            {
                plan.Mode ??= sample.Mode;
                if (sample.Mode != plan.Mode)
                {
                    throw new InvalidOperationException($"'{sources[i].Path}' holds {sample.Mode.ToString().ToLowerInvariant()} samples but earlier inputs hold {plan.Mode.Value.ToString().ToLowerInvariant()} samples; merge datasets of one mode");
                }

                var position = Position(i, sample.Id);
                var text = sample.Input is null ? sample.Instruction : sample.Instruction + "\n" + sample.Input;
                string? reason = null, detail = null;
                if (!ids.Add(sample.Id))
                {
                    (reason, detail) = (RejectionReasons.MergeDuplicateId, sample.Id);
                }
                else if (index.AddIfUnique(position, text) is { Kind: not DuplicateKind.None } verdict)
                {
                    var (keptPosition, keptTeacher) = byKey[verdict.MatchKey!];
                    if (verdict.Kind == DuplicateKind.Exact && keptTeacher != sample.Provenance.Teacher)
                    {
                        plan.Kept[keptPosition].Add(new TeacherAnswer(sample.Provenance.Teacher, sample.Provenance.Model, sample.Response, sample.Scores, sample.Logprobs));
                        (reason, detail) = (RejectionReasons.DuplicateExact, $"kept as an alternative of {keptPosition}");
                    }
                    else
                    {
                        reason = verdict.Kind == DuplicateKind.Exact ? RejectionReasons.DuplicateExact : RejectionReasons.DuplicateNear;
                        detail = string.Create(CultureInfo.InvariantCulture, $"{verdict.MatchKey} (ROUGE-L {verdict.Score:F3})");
                    }
                }
                else
                {
                    plan.Kept[position] = [];
                    byKey[position] = (position, sample.Provenance.Teacher);
                }

                if (reason is not null)
                {
                    plan.Rejected.Add(new RejectedSample(position, TaskCandidate.TaskIdOf(sample.Mode, sample.Instruction, sample.Input), reason, detail, sample.Mode, sample.Instruction, sample.Input,
                        sample.Provenance.SeedId, sample.Provenance.Category, sample.Provenance.Origin, sample.Scores, sample.Provenance.Teacher, sample.Response));
                }
            }
        }

        return plan;
    }

    private static List<DatasetDirectory> Validate(IReadOnlyList<string> inputs, string output, bool force)
    {
        if (inputs.Count == 0)
        {
            throw new InvalidOperationException("merge needs at least one input dataset directory");
        }

        var outputFull = Path.GetFullPath(output);
        var sources = inputs.Select(DatasetDirectory.Open).ToList();
        if (sources.Any(s => string.Equals(s.Path.TrimEnd(Path.DirectorySeparatorChar), outputFull.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal)))
        {
            throw new InvalidOperationException($"--out '{output}' is also an input; write the merge to a new directory");
        }

        var existing = DatasetDirectory.FindSampleFiles(output).Count > 0 || File.Exists(Path.Combine(output, DatasetDirectory.ManifestFileName));
        if (existing && !force)
        {
            throw new InvalidOperationException($"--out '{output}' already holds a dataset; use --force to replace it");
        }

        if (existing)
        {
            foreach (var file in DatasetDirectory.FindSampleFiles(output).Append(Path.Combine(output, DatasetDirectory.RejectedFileName)).Append(Path.Combine(output, DatasetDirectory.ManifestFileName)))
            {
                File.Delete(file);
            }
        }

        return sources;
    }

    private static string Position(int input, string id) => $"{input}:{id}";

    private sealed class MergePlan
    {
        public TeacherMode? Mode { get; set; }

        public Dictionary<string, List<TeacherAnswer>> Kept { get; } = new(StringComparer.Ordinal);

        public List<RejectedSample> Rejected { get; } = [];

        public List<string> Notes { get; } = [];
    }
}
