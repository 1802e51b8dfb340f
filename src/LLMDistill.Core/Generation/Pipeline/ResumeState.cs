using LLMDistill.Data;

namespace LLMDistill.Generation.Pipeline;

/// <summary>
/// What an output directory already holds: the written samples and rejections (the source of truth) and the
/// expansion journal. A resumed run replays the same deterministic task sequence and skips every decision found here.
/// </summary>
internal sealed class ResumeState
{
    public const string JournalFileName = "expansions.jsonl";

    private ResumeState()
    {
    }

    /// <summary>Sample id → outcome, for samples already in a shard.</summary>
    public Dictionary<string, ResolvedTask> KeptBySampleId { get; } = new(StringComparer.Ordinal);

    /// <summary>Candidate key → reason, for rejections before admission (task checks, dedupe).</summary>
    public Dictionary<string, string> RejectedByKey { get; } = new(StringComparer.Ordinal);

    /// <summary>Task id → outcome, for rejections after admission (answer, score, filter, surplus).</summary>
    public Dictionary<string, ResolvedTask> RejectedByTaskId { get; } = new(StringComparer.Ordinal);

    /// <summary>Rejected lines on disk per reason.</summary>
    public Dictionary<string, long> RejectedReasons { get; } = new(StringComparer.Ordinal);

    /// <summary>Expansion request key → its recorded result.</summary>
    public Dictionary<string, ExpansionRecord> Journal { get; } = new(StringComparer.Ordinal);

    /// <summary>The manifest found, if any.</summary>
    public DatasetManifest? Manifest { get; private set; }

    public long KeptCount => KeptBySampleId.Count;

    public long RejectedCount => RejectedReasons.Values.Sum();

    /// <summary>True when the reason is decided before a task is admitted (so it is keyed by candidate, not task).</summary>
    public static bool IsPreAdmission(string reason)
        => reason.StartsWith("task:", StringComparison.Ordinal) || reason.StartsWith("dedupe:", StringComparison.Ordinal);

    /// <summary>
    /// Opens <paramref name="directory"/> for a run with <paramref name="configHash"/>: refuses a different
    /// configuration unless <paramref name="restart"/>, which deletes the run's files; repairs torn tails; loads state.
    /// </summary>
    /// <exception cref="InvalidOperationException">The directory belongs to a different configuration, or holds samples without a manifest.</exception>
    public static async Task<ResumeState> LoadAsync(string directory, string configHash, IReadOnlyDictionary<string, string> parts, bool restart, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        if (restart)
        {
            DeleteRunFiles(directory);
        }

        var state = new ResumeState { Manifest = DatasetDirectory.TryReadManifest(directory) };
        if (state.Manifest is null && DatasetDirectory.FindSampleFiles(directory).Count > 0)
        {
            throw new InvalidOperationException($"output directory '{directory}' holds samples but no {DatasetDirectory.ManifestFileName}; use --restart to discard them or choose another --out");
        }

        if (state.Manifest is { } manifest && manifest.ConfigHash != configHash)
        {
            var changed = parts.Where(p => !manifest.ConfigParts.TryGetValue(p.Key, out var old) || old != p.Value).Select(p => p.Key).ToList();
            throw new InvalidOperationException(
                $"output directory '{directory}' was generated with a different configuration (changed: {string.Join(", ", changed)}; hash {manifest.ConfigHash} → {configHash}); " +
                "rerun with --restart to discard it, or choose another --out");
        }

        await foreach (var sample in new DatasetDirectoryReader(directory).SamplesAsync(cancellationToken))
        {
            state.KeptBySampleId[sample.Id] = new ResolvedTask(true, null, sample.Scores);
        }

        var rejected = Path.Combine(directory, DatasetDirectory.RejectedFileName);
        if (File.Exists(rejected))
        {
            JsonlFile.RepairTornTail(rejected);
            await foreach (var record in JsonlFile.ReadAsync(rejected, DatasetJson.Default.RejectedSample, skipTornTail: false, cancellationToken))
            {
                var r = record.Value;
                state.RejectedReasons[r.Reason] = state.RejectedReasons.GetValueOrDefault(r.Reason) + 1;
                if (IsPreAdmission(r.Reason))
                {
                    state.RejectedByKey[r.Key] = r.Reason;
                }
                else
                {
                    state.RejectedByTaskId[r.TaskId] = new ResolvedTask(false, r.Reason, r.Scores);
                }
            }
        }

        var journal = Path.Combine(directory, JournalFileName);
        if (File.Exists(journal))
        {
            JsonlFile.RepairTornTail(journal);
            await foreach (var record in JsonlFile.ReadAsync(journal, GenerationJson.Default.ExpansionRecord, skipTornTail: false, cancellationToken))
            {
                state.Journal[record.Value.Key] = record.Value;
            }
        }

        return state;
    }

    private static void DeleteRunFiles(string directory)
    {
        foreach (var file in DatasetDirectory.FindSampleFiles(directory)
            .Append(Path.Combine(directory, DatasetDirectory.RejectedFileName))
            .Append(Path.Combine(directory, DatasetDirectory.ManifestFileName))
            .Append(Path.Combine(directory, JournalFileName)))
        {
            File.Delete(file);
        }
    }

    /// <summary>Reads shards after repairing their torn tails (the sink will append to the last one).</summary>
    private sealed class DatasetDirectoryReader(string directory)
    {
        public async IAsyncEnumerable<DistillationSample> SamplesAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            foreach (var file in DatasetDirectory.FindSampleFiles(directory))
            {
                JsonlFile.RepairTornTail(file);
                await foreach (var record in JsonlFile.ReadAsync(file, DatasetJson.Default.DistillationSample, skipTornTail: false, cancellationToken))
                {
                    yield return record.Value;
                }
            }
        }
    }
}
