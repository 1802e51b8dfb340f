using System.Text.Json;
using System.Text.Json.Nodes;
using LLMDistill.Model;

namespace LLMDistill.Checkpoints;

/// <summary>
/// The parts of a Hugging Face <c>generation_config.json</c> that generation uses: special ids and the checkpoint's
/// suggested sampling defaults (null when not set).
/// </summary>
/// <param name="BosTokenId">Beginning-of-sequence id.</param>
/// <param name="EosTokenIds">End-of-sequence ids (an int or a list in the file).</param>
/// <param name="PadTokenId">Padding id.</param>
/// <param name="DoSample">Whether the checkpoint suggests sampling.</param>
/// <param name="Temperature">Suggested temperature.</param>
/// <param name="TopK">Suggested top-k.</param>
/// <param name="TopP">Suggested top-p.</param>
public sealed record HfGenerationConfig(
    int? BosTokenId,
    IReadOnlyList<int> EosTokenIds,
    int? PadTokenId,
    bool? DoSample = null,
    double? Temperature = null,
    int? TopK = null,
    double? TopP = null)
{
    /// <summary>The file name in a model directory.</summary>
    public const string FileName = "generation_config.json";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Reads <c>generation_config.json</c> from <paramref name="directory"/>, or derives one from the model config when absent.</summary>
    /// <param name="directory">The model directory.</param>
    /// <param name="config">The model config: its ids fill what the file leaves out.</param>
    /// <returns>The generation config.</returns>
    /// <exception cref="InvalidDataException">The file is not valid JSON or a field has the wrong type; the message names the file.</exception>
    public static HfGenerationConfig Load(string directory, LlamaConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return FromModelConfig(config);
        }

        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException($"{path}: expected a JSON object");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({ex.Message})", ex);
        }

        var eos = root["eos_token_id"] switch
        {
            JsonArray list => list.Select(n => Value<int>(n, "eos_token_id", path) ?? throw new InvalidDataException($"{path}: 'eos_token_id' holds a null")).ToArray(),
            null => config.EosTokenIds.ToArray(),
            var single => [Value<int>(single, "eos_token_id", path)!.Value],
        };
        return new HfGenerationConfig(
            Value<int>(root["bos_token_id"], "bos_token_id", path) ?? config.BosTokenId,
            eos,
            Value<int>(root["pad_token_id"], "pad_token_id", path) ?? config.PadTokenId,
            Value<bool>(root["do_sample"], "do_sample", path),
            Value<double>(root["temperature"], "temperature", path),
            Value<int>(root["top_k"], "top_k", path),
            Value<double>(root["top_p"], "top_p", path));
    }

    /// <summary>The generation config implied by a model config (its bos/eos/pad ids, no sampling defaults).</summary>
    public static HfGenerationConfig FromModelConfig(LlamaConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new HfGenerationConfig(config.BosTokenId, config.EosTokenIds, config.PadTokenId);
    }

    /// <summary>Ids that end generation: these EOS ids plus the model config's.</summary>
    public IReadOnlyList<int> StopTokenIds(LlamaConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return EosTokenIds.Concat(config.EosTokenIds).Distinct().ToArray();
    }

    private static T? Value<T>(JsonNode? node, string field, string path)
        where T : struct
    {
        if (node is null)
        {
            return null;
        }

        return node is JsonValue value && value.TryGetValue(out T result)
            ? result
            : throw new InvalidDataException($"{path}: '{field}' has an unexpected value {node.ToJsonString()}");
    }

    /// <summary>Writes the file's JSON text.</summary>
    public string ToJson()
    {
        var json = new JsonObject
        {
            ["bos_token_id"] = BosTokenId,
            ["eos_token_id"] = EosTokenIds.Count == 1 ? JsonValue.Create(EosTokenIds[0]) : new JsonArray(EosTokenIds.Select(id => (JsonNode?)id).ToArray()),
            ["pad_token_id"] = PadTokenId,
        };
        if (DoSample is { } doSample)
        {
            json["do_sample"] = doSample;
        }

        if (Temperature is { } temperature)
        {
            json["temperature"] = temperature;
        }

        if (TopK is { } topK)
        {
            json["top_k"] = topK;
        }

        if (TopP is { } topP)
        {
            json["top_p"] = topP;
        }

        return json.ToJsonString(Indented);
    }
}
