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
        var previous = context.Resume.Manifest;
        IReadOnlyList<string> Models(string teacher, string role)
            => counters.ModelsOf(teacher)
                .Concat(previous?.Teachers.Where(t => t.Name == teacher && t.Role == role).SelectMany(t => t.Models) ?? [])
                .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

        var teachers = new List<ManifestTeacher> { new(options.ExpandTeacher, "expand", Models(options.ExpandTeacher, "expand")) };
        teachers.AddRange(options.AnswerTeachers.Select(t => new ManifestTeacher(t, "answer", Models(t, "answer"))));
        if (!string.IsNullOrWhiteSpace(options.JudgeTeacher))
        {
            teachers.Add(new ManifestTeacher(options.JudgeTeacher, "judge", Models(options.JudgeTeacher, "judge")));
        }

        if (!string.IsNullOrWhiteSpace(options.ScoringTeacher))
        {
            teachers.Add(new ManifestTeacher(options.ScoringTeacher, "score", Models(options.ScoringTeacher, "score")));
        }

        // Usage adds up over the attempts of a resumed run (what an attempt killed before its final manifest spent is not known).
        var totalUsage = usage.Concat(previous?.Usage ?? [])
            .GroupBy(u => u.Teacher, StringComparer.Ordinal)
            .Select(g => new TeacherUsageReport(g.Key, g.Sum(u => u.Requests), g.Sum(u => u.CacheHits), g.Sum(u => u.PromptTokens), g.Sum(u => u.CompletionTokens), g.Sum(u => u.CostUsd)))
            .ToList();
        var totalTimings = previous is null ? timings : timings.ToDictionary(t => t.Key, t => Math.Round(t.Value + previous.Timings.GetValueOrDefault(t.Key), 3), StringComparer.Ordinal);

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
            totalUsage,
            totalTimings,
            shards,
            null,
            context.Notes.ToList());
    }

    public static void Write(string directory, DatasetManifest manifest)
        => DatasetJson.WriteIndentedAtomically(Path.Combine(directory, DatasetDirectory.ManifestFileName), manifest, DatasetJson.Default.DatasetManifest);
}
