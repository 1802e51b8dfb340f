using System.Text.Json;
using System.Text.Json.Nodes;

namespace LLMDistill.Checkpoints;

/// <summary>Finds the weight files of a Hugging Face model directory: one <c>model.safetensors</c> or the shards of an index.</summary>
internal static class HfWeightFiles
{
    public const string SingleFile = "model.safetensors";
    public const string IndexFile = "model.safetensors.index.json";

    /// <summary>Returns each weight file with the tensor names the index assigns to it (null for a single file: all of them).</summary>
    public static IReadOnlyList<(string Path, IReadOnlySet<string>? Names)> Resolve(string directory)
    {
        var single = Path.Combine(directory, SingleFile);
        if (File.Exists(single))
        {
            return [(single, null)];
        }

        var index = Path.Combine(directory, IndexFile);
        if (File.Exists(index))
        {
            return ReadIndex(index, directory);
        }

        var hint = File.Exists(Path.Combine(directory, "pytorch_model.bin")) ? " (pytorch_model.bin is not supported: convert it to safetensors)" : string.Empty;
        throw new FileNotFoundException($"model directory '{directory}' has no {SingleFile} or {IndexFile}{hint}");
    }

    private static List<(string Path, IReadOnlySet<string>? Names)> ReadIndex(string index, string directory)
    {
        JsonObject map;
        try
        {
            var root = JsonNode.Parse(File.ReadAllText(index)) as JsonObject;
            map = root?["weight_map"] as JsonObject ?? throw new InvalidDataException($"{index}: missing 'weight_map' object");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{index}: not valid JSON ({ex.Message})", ex);
        }

        var byFile = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var (name, node) in map)
        {
            var file = node is JsonValue v && v.TryGetValue(out string? f) ? f : null;
            // A shard must be a plain file name in the directory: the index must not point elsewhere on disk.
            if (string.IsNullOrEmpty(file) || Path.GetFileName(file) != file || file is "." or "..")
            {
                throw new InvalidDataException($"{index}: tensor '{name}' maps to '{node?.ToJsonString()}', which is not a file name in the model directory");
            }

            if (!byFile.TryGetValue(file, out var names))
            {
                byFile[file] = names = new HashSet<string>(StringComparer.Ordinal);
            }

            names.Add(name);
        }

        if (byFile.Count == 0)
        {
            throw new InvalidDataException($"{index}: 'weight_map' is empty");
        }

        var result = new List<(string, IReadOnlySet<string>?)>();
        foreach (var (file, names) in byFile.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var path = Path.Combine(directory, file);
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"{index}: shard '{file}' does not exist in '{directory}'", path);
            }

            result.Add((path, names));
        }

        return result;
    }
}
