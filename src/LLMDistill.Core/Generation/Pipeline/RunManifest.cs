using LLMDistill.Data;
using LLMDistill.Teachers;

namespace LLMDistill.Generation.Pipeline;

/// <summary>Builds and writes the manifest of a generation run.</summary>
internal static class RunManifest
{
    public static DatasetManifest Build(
        RunContext context,
        string configHash,
        IReadOnlyDictionary<string, string> parts,
        bool complete,
        DateTimeOffset createdAt,
        DateTimeOffset now,
        IReadOnlyList<ManifestShard> shards,
        IReadOnlyList<TeacherUsageReport> usage,
        double wallSeconds)
    {
        var counters = context.Counters;
        var counts = new Dictionary<string, long>(counters.Counts, StringComparer.Ordinal)
        {
            [CounterNames.Kept] = counters.Kept,
            [CounterNames.Rejected] = counters.RejectedTotal,
            [CounterNames.Candidates] = counters.Kept + counters.RejectedTotal,
        };
        var timings = new Dictionary<string, double>(counters.BusySeconds, StringComparer.Ordinal) { ["wall"] = Math.Round(wallSeconds, 3) };
        var options = context.Options;
        var teachers = new List<ManifestTeacher> { new(options.ExpandTeacher, "expand", counters.ModelsOf(options.ExpandTeacher)) };
        teachers.AddRange(options.AnswerTeachers.Select(t => new ManifestTeacher(t, "answer", counters.ModelsOf(t))));
        if (!string.IsNullOrWhiteSpace(options.JudgeTeacher))
        {
            teachers.Add(new ManifestTeacher(options.JudgeTeacher, "judge", counters.ModelsOf(options.JudgeTeacher)));
        }

        if (!string.IsNullOrWhiteSpace(options.ScoringTeacher))
        {
            teachers.Add(new ManifestTeacher(options.ScoringTeacher, "score", counters.ModelsOf(options.ScoringTeacher)));
        }

        return new DatasetManifest(
            DatasetManifest.CurrentFormatVersion,
            "generate",
            configHash,
            parts,
            complete,
            options.Mode,
            options.TargetSamples,
            options.Seed,
            createdAt,
            now,
            counts,
            counters.Rejections,
            teachers,
            context.Prompts.Hashes,
            usage,
            timings,
            shards,
            null,
            context.Notes.ToList());
    }

    public static void Write(string directory, DatasetManifest manifest)
        => DatasetJson.WriteIndentedAtomically(Path.Combine(directory, DatasetDirectory.ManifestFileName), manifest, DatasetJson.Default.DatasetManifest);
}
