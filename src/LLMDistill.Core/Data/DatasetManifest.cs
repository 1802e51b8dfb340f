using LLMDistill.Teachers;

namespace LLMDistill.Data;

/// <summary>
/// <c>manifest.json</c> of a dataset directory. A summary for people and tools; the sample files remain the source
/// of truth (counts are recomputed from them when a run resumes).
/// </summary>
/// <param name="FormatVersion">Version of the directory format (<see cref="CurrentFormatVersion"/>).</param>
/// <param name="Kind"><c>generate</c> or <c>merge</c>.</param>
/// <param name="ConfigHash">Hash of the options, templates, seeds and teachers that determine the content.</param>
/// <param name="ConfigParts">The hash of each part (options, templates, seeds, teachers), to say what changed.</param>
/// <param name="Complete">True once the run finished (target reached or inputs exhausted).</param>
/// <param name="Mode">chat or completion.</param>
/// <param name="TargetSamples">Requested number of samples (0 for merges).</param>
/// <param name="Seed">Random seed of the run.</param>
/// <param name="CreatedAt">When the directory was first written.</param>
/// <param name="UpdatedAt">When this manifest was written.</param>
/// <param name="Counts">Counts per stage; <c>candidates</c> = <c>kept</c> + <c>rejected</c>.</param>
/// <param name="Rejections">Rejected candidates per reason code.</param>
/// <param name="Teachers">Teachers used, with their role and the model they reported.</param>
/// <param name="Templates">Prompt template name → content hash.</param>
/// <param name="Usage">Requests, tokens and cost per teacher (from the teacher factory).</param>
/// <param name="Timings">Seconds spent per stage (busy time summed over workers) and <c>wall</c> in total.</param>
/// <param name="Shards">Sample files and how many samples each holds.</param>
/// <param name="Sources">For merges: the merged dataset directories.</param>
/// <param name="Notes">Warnings worth keeping (skipped seed lines, stalled expansion, ...).</param>
public sealed record DatasetManifest(
    int FormatVersion,
    string Kind,
    string ConfigHash,
    IReadOnlyDictionary<string, string> ConfigParts,
    bool Complete,
    TeacherMode Mode,
    int TargetSamples,
    int Seed,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyDictionary<string, long> Counts,
    IReadOnlyDictionary<string, long> Rejections,
    IReadOnlyList<ManifestTeacher> Teachers,
    IReadOnlyDictionary<string, string> Templates,
    IReadOnlyList<TeacherUsageReport> Usage,
    IReadOnlyDictionary<string, double> Timings,
    IReadOnlyList<ManifestShard> Shards,
    IReadOnlyList<string>? Sources = null,
    IReadOnlyList<string>? Notes = null)
{
    /// <summary>The format version this code writes and reads.</summary>
    public const int CurrentFormatVersion = 1;
}
