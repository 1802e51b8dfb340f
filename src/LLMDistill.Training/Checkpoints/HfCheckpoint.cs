using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LLMDistill.Model;
using static TorchSharp.torch;

namespace LLMDistill.Checkpoints;

/// <summary>
/// Loads and saves Hugging Face model directories (<c>config.json</c> + <c>model.safetensors</c> or a sharded
/// <c>model.safetensors.index.json</c>) for LlamaForCausalLM and Qwen2ForCausalLM.
/// </summary>
public static class HfCheckpoint
{
    /// <summary>Tokenizer and template files copied next to saved weights so other tools can use the model as is.</summary>
    public static readonly IReadOnlyList<string> TokenizerFiles =
    [
        "tokenizer.json", "tokenizer.model", "tokenizer_config.json", "special_tokens_map.json",
        "vocab.json", "merges.txt", "added_tokens.json", "chat_template.jinja", "chat_template.json",
    ];

    private static readonly Dictionary<string, string> FormatMetadata = new(StringComparer.Ordinal) { ["format"] = "pt" };
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>
    /// Loads a model directory. Tensors are read one at a time straight into the parameters (converted to
    /// <paramref name="dtype"/> on the way), so memory holds the model plus at most one tensor.
    /// </summary>
    /// <param name="directory">The model directory.</param>
    /// <param name="device">Where to put the model (default CPU).</param>
    /// <param name="dtype">Weight dtype: float32, bfloat16 or float16, whatever the files store.</param>
    /// <returns>The model in eval mode.</returns>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="FileNotFoundException">config.json or the weights are missing.</exception>
    /// <exception cref="InvalidDataException">A corrupt file, missing or unexpected tensors, or a shape mismatch; the message names them.</exception>
    public static LlamaForCausalLM Load(string directory, Device? device = null, ScalarType dtype = ScalarType.Float32)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"model directory '{directory}' does not exist");
        }

        var configPath = Path.Combine(directory, "config.json");
        if (!File.Exists(configPath))
        {
            throw new FileNotFoundException($"model directory '{directory}' has no config.json", configPath);
        }

        var config = LlamaConfig.Load(configPath);
        var files = HfWeightFiles.Resolve(directory);
        var readers = new List<SafetensorsReader>();
        try
        {
            foreach (var (path, _) in files)
            {
                readers.Add(SafetensorsReader.Open(path));
            }

            var model = new LlamaForCausalLM(config, device, dtype);
            try
            {
                LoadInto(model, files, readers, directory);
                model.eval();
                return model;
            }
            catch
            {
                model.Dispose();
                throw;
            }
        }
        finally
        {
            foreach (var reader in readers)
            {
                reader.Dispose();
            }
        }
    }

    /// <summary>
    /// Saves a model as a Hugging Face directory: weights in their current dtype (<c>model.safetensors</c>, or shards plus
    /// an index when larger than <paramref name="maxShardBytes"/>), <c>config.json</c>, <c>generation_config.json</c>
    /// and the tokenizer files found in <paramref name="tokenizerSourceDirectory"/>.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="directory">Destination (created when missing; earlier weight files there are replaced).</param>
    /// <param name="tokenizerSourceDirectory">Directory to copy tokenizer files and generation_config.json from, or null.</param>
    /// <param name="maxShardBytes">Largest shard; null for a single file.</param>
    public static void Save(LlamaForCausalLM model, string directory, string? tokenizerSourceDirectory = null, long? maxShardBytes = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (maxShardBytes is { } max)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max, nameof(maxShardBytes));
        }

        Directory.CreateDirectory(directory);
        var tensors = model.named_parameters().Select(p => new KeyValuePair<string, Tensor>(p.name, p.parameter)).ToList();
        RemoveWeightFiles(directory);
        var shards = Split(tensors, maxShardBytes ?? long.MaxValue);
        if (shards.Count == 1)
        {
            SafetensorsWriter.Write(Path.Combine(directory, HfWeightFiles.SingleFile), tensors, FormatMetadata);
        }
        else
        {
            WriteShards(directory, shards);
        }

        File.WriteAllText(Path.Combine(directory, "config.json"), model.Config.ToJson(ModelDtypes.Name(model.Dtype)));
        var source = tokenizerSourceDirectory is null ? null : Path.GetFullPath(tokenizerSourceDirectory);
        var sameDirectory = source is not null && source.TrimEnd('/') == Path.GetFullPath(directory).TrimEnd('/');
        var generation = source is not null && File.Exists(Path.Combine(source, HfGenerationConfig.FileName))
            ? HfGenerationConfig.Load(source, model.Config)
            : HfGenerationConfig.FromModelConfig(model.Config);
        File.WriteAllText(Path.Combine(directory, HfGenerationConfig.FileName), generation.ToJson());
        if (source is not null && !sameDirectory)
        {
            if (!Directory.Exists(source))
            {
                throw new DirectoryNotFoundException($"tokenizer source directory '{tokenizerSourceDirectory}' does not exist");
            }

            foreach (var file in TokenizerFiles.Where(f => File.Exists(Path.Combine(source, f))))
            {
                File.Copy(Path.Combine(source, file), Path.Combine(directory, file), overwrite: true);
            }
        }
    }

    private static void LoadInto(LlamaForCausalLM model, IReadOnlyList<(string Path, IReadOnlySet<string>? Names)> files, List<SafetensorsReader> readers, string directory)
    {
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
        var sourceOf = new Dictionary<string, SafetensorsReader>(StringComparer.Ordinal);
        var unexpected = new List<string>();
        for (var i = 0; i < readers.Count; i++)
        {
            var reader = readers[i];
            if (files[i].Names is { } claimed && claimed.FirstOrDefault(n => !reader.Contains(n)) is { } absent)
            {
                throw new InvalidDataException($"{HfWeightFiles.IndexFile} in '{directory}' places tensor '{absent}' in '{Path.GetFileName(reader.Path)}', which does not contain it");
            }

            foreach (var info in reader.Tensors)
            {
                if (parameters.TryGetValue(info.Name, out var parameter))
                {
                    if (!info.Shape.SequenceEqual(parameter.shape))
                    {
                        throw new InvalidDataException($"'{reader.Path}': tensor '{info.Name}' has shape [{string.Join(", ", info.Shape)}] but the config implies [{string.Join(", ", parameter.shape)}]");
                    }

                    sourceOf[info.Name] = reader;
                }
                else if (!IsIgnorable(info.Name, model.Config))
                {
                    unexpected.Add(info.Name);
                }
            }
        }

        var missing = parameters.Keys.Where(k => !sourceOf.ContainsKey(k)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidDataException($"model directory '{directory}' is missing {missing.Count} tensor(s) the config needs: {Names(missing)}");
        }

        if (unexpected.Count > 0)
        {
            throw new InvalidDataException($"model directory '{directory}' has {unexpected.Count} tensor(s) this {model.Config.Architecture} does not use: {Names(unexpected)}");
        }

        using var noGrad = no_grad();
        foreach (var (name, parameter) in parameters)
        {
            sourceOf[name].CopyTo(name, parameter);
        }
    }

    // Older exports carry the rotary table; tied checkpoints sometimes still store a copy of the embedding as lm_head.
    private static bool IsIgnorable(string name, LlamaConfig config) =>
        name.EndsWith(".rotary_emb.inv_freq", StringComparison.Ordinal) || (config.TieWordEmbeddings && name == "lm_head.weight");

    private static string Names(List<string> names) =>
        string.Join(", ", names.Take(10)) + (names.Count > 10 ? string.Create(CultureInfo.InvariantCulture, $", ... ({names.Count - 10} more)") : string.Empty);

    private static List<List<KeyValuePair<string, Tensor>>> Split(List<KeyValuePair<string, Tensor>> tensors, long maxShardBytes)
    {
        var shards = new List<List<KeyValuePair<string, Tensor>>> { new() };
        long size = 0;
        foreach (var entry in tensors)
        {
            var bytes = SafetensorsWriter.ByteCount(entry.Value);
            if (shards[^1].Count > 0 && size + bytes > maxShardBytes)
            {
                shards.Add([]);
                size = 0;
            }

            shards[^1].Add(entry);
            size += bytes;
        }

        return shards;
    }

    private static void WriteShards(string directory, List<List<KeyValuePair<string, Tensor>>> shards)
    {
        var weightMap = new JsonObject();
        long total = 0;
        for (var i = 0; i < shards.Count; i++)
        {
            var file = string.Create(CultureInfo.InvariantCulture, $"model-{i + 1:D5}-of-{shards.Count:D5}.safetensors");
            SafetensorsWriter.Write(Path.Combine(directory, file), shards[i], FormatMetadata);
            foreach (var (name, tensor) in shards[i])
            {
                weightMap[name] = file;
                total += SafetensorsWriter.ByteCount(tensor);
            }
        }

        var index = new JsonObject { ["metadata"] = new JsonObject { ["total_size"] = total }, ["weight_map"] = weightMap };
        File.WriteAllText(Path.Combine(directory, HfWeightFiles.IndexFile), index.ToJsonString(Indented));
    }

    private static void RemoveWeightFiles(string directory)
    {
        // A directory must not keep a stale layout: the loader prefers model.safetensors over an index.
        File.Delete(Path.Combine(directory, HfWeightFiles.SingleFile));
        File.Delete(Path.Combine(directory, HfWeightFiles.IndexFile));
        foreach (var shard in Directory.EnumerateFiles(directory, "model-*-of-*.safetensors"))
        {
            File.Delete(shard);
        }
    }
}
