using System.Text.Json;
using LLMDistill.Teachers;

namespace LLMDistill.Generation.Seeds;

/// <summary>
/// Reads seed tasks. <c>*.jsonl</c>: one object per line with <c>instruction</c> or <c>prompt</c> (the task text), and
/// optional <c>input</c> (or Self-Instruct's <c>instances[0].input</c>), <c>category</c>, <c>id</c>, <c>mode</c>
/// (<c>chat</c>/<c>completion</c>; without it, an <c>instruction</c> is a chat task and a <c>prompt</c> suits either mode). <c>*.txt</c>: one task per non-empty line, <c>#</c> starts a comment.
/// </summary>
public static class SeedLoader
{
    /// <summary>Loads the seeds matching <paramref name="patterns"/> for <paramref name="mode"/>.</summary>
    /// <param name="patterns">Paths or globs (wildcards in the file name), relative to <paramref name="baseDirectory"/>.</param>
    /// <param name="baseDirectory">Directory relative patterns start from.</param>
    /// <param name="mode">The run's mode; seeds written for the other mode are skipped.</param>
    /// <param name="errors">Skip malformed lines (reported) or fail on the first.</param>
    /// <param name="cancellationToken">Cancels reading.</param>
    /// <returns>The seeds, the files and the skipped lines.</returns>
    /// <exception cref="SeedFormatException">A malformed line with <see cref="SeedErrorMode.Fail"/>, a missing file, or no seed at all.</exception>
    public static async Task<SeedLoadResult> LoadAsync(IReadOnlyList<string> patterns, string baseDirectory, TeacherMode mode, SeedErrorMode errors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        var files = ResolveFiles(patterns, baseDirectory);
        var seeds = new List<SeedTask>();
        var problems = new List<string>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var otherMode = 0;
        foreach (var file in files)
        {
            var display = Path.GetRelativePath(baseDirectory, file);
            var lineNumber = 0;
            foreach (var line in await File.ReadAllLinesAsync(file, cancellationToken))
            {
                lineNumber++;
                var location = $"{display}:{lineNumber}";
                SeedTask? seed;
                try
                {
                    seed = file.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) ? ParseJsonLine(line, location) : ParseTextLine(line, location);
                    if (seed is not null && !ids.Add(seed.Id))
                    {
                        throw new SeedFormatException($"{location}: duplicate seed id '{seed.Id}'");
                    }
                }
                catch (SeedFormatException ex) when (errors == SeedErrorMode.Skip)
                {
                    problems.Add(ex.Message);
                    continue;
                }

                if (seed is null)
                {
                    continue;
                }

                if (seed.Mode is { } seedMode && seedMode != mode)
                {
                    otherMode++;
                    continue;
                }

                seeds.Add(seed);
            }
        }

        if (seeds.Count == 0)
        {
            throw new SeedFormatException($"no usable {mode.ToString().ToLowerInvariant()} seeds in {string.Join(", ", patterns)} (files read: {files.Count}, malformed lines: {problems.Count}, other mode: {otherMode})");
        }

        return new SeedLoadResult(seeds, files, problems, otherMode);
    }

    internal static SeedTask? ParseJsonLine(string line, string location)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException ex)
        {
            throw new SeedFormatException($"{location}: not valid JSON ({ex.Message})", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new SeedFormatException($"{location}: expected a JSON object, got {root.ValueKind}");
            }

            var instruction = String(root, "instruction", location);
            var text = instruction ?? String(root, "prompt", location);
            if (string.IsNullOrWhiteSpace(text))
            {
                throw new SeedFormatException($"{location}: needs a non-empty \"instruction\" or \"prompt\" string");
            }

            var input = String(root, "input", location);
            if (input is null && root.TryGetProperty("instances", out var instances) && instances.ValueKind == JsonValueKind.Array && instances.GetArrayLength() > 0
                && instances[0].ValueKind == JsonValueKind.Object)
            {
                input = String(instances[0], "input", location);
            }

            var id = root.TryGetProperty("id", out var idElement) && idElement.ValueKind is JsonValueKind.String or JsonValueKind.Number
                ? idElement.ToString()
                : location;
            return new SeedTask(id, text, string.IsNullOrWhiteSpace(input) ? null : input, String(root, "category", location), ParseMode(String(root, "mode", location), location) ?? (instruction is null ? null : TeacherMode.Chat), location);
        }
    }

    private static SeedTask? ParseTextLine(string line, string location)
    {
        var text = line.TrimEnd();
        return text.Length == 0 || text.TrimStart().StartsWith('#') ? null : new SeedTask(location, text, null, null, null, location);
    }

    private static string? String(JsonElement obj, string name, string location)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new SeedFormatException($"{location}: \"{name}\" must be a string, got {value.ValueKind}");
    }

    private static TeacherMode? ParseMode(string? value, string location) => value?.ToLowerInvariant() switch
    {
        null => null,
        "chat" => TeacherMode.Chat,
        "completion" => TeacherMode.Completion,
        _ => throw new SeedFormatException($"{location}: \"mode\" must be \"chat\" or \"completion\", got \"{value}\""),
    };

    private static List<string> ResolveFiles(IReadOnlyList<string> patterns, string baseDirectory)
    {
        var files = new List<string>();
        foreach (var pattern in patterns)
        {
            var full = Path.GetFullPath(Path.Combine(baseDirectory, pattern));
            var name = Path.GetFileName(full);
            if (name.Contains('*', StringComparison.Ordinal) || name.Contains('?', StringComparison.Ordinal))
            {
                var directory = Path.GetDirectoryName(full)!;
                if (Directory.Exists(directory))
                {
                    files.AddRange(Directory.GetFiles(directory, name).Order(StringComparer.Ordinal));
                }
            }
            else if (File.Exists(full))
            {
                files.Add(full);
            }
            else
            {
                throw new SeedFormatException($"seed file '{pattern}' does not exist (looked in {baseDirectory})");
            }
        }

        return files.Distinct(StringComparer.Ordinal).ToList();
    }
}
