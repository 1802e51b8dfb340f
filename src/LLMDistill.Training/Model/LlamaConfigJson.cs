using System.Text.Json;
using System.Text.Json.Nodes;

namespace LLMDistill.Model;

/// <summary>Reads and writes the Hugging Face <c>config.json</c> form of <see cref="LlamaConfig"/>.</summary>
internal static class LlamaConfigJson
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static LlamaConfig Parse(string json, string source)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 64 }) as JsonObject
                ?? throw new InvalidDataException($"{source}: expected a JSON object");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{source}: not valid JSON ({ex.Message})", ex);
        }

        var reader = new FieldReader(root, source);
        var architecture = ReadArchitecture(root, reader);
        var modelType = reader.String("model_type") ?? (architecture == LlamaConfig.Qwen2Architecture ? "qwen2" : "llama");
        var isQwen2 = architecture == LlamaConfig.Qwen2Architecture;
        var act = reader.String("hidden_act") ?? "silu";
        if (act != "silu")
        {
            throw new InvalidDataException($"{source}: hidden_act '{act}' is not supported (only silu)");
        }

        if (isQwen2 && reader.Bool("use_sliding_window") == true)
        {
            throw new InvalidDataException($"{source}: use_sliding_window=true is not supported");
        }

        var heads = reader.RequiredInt("num_attention_heads");
        var hidden = reader.RequiredInt("hidden_size");
        var headDim = reader.Int("head_dim");
        if (headDim is null && heads > 0 && hidden % heads != 0)
        {
            throw new InvalidDataException($"{source}: hidden_size must be divisible by num_attention_heads when head_dim is absent (got {hidden} and {heads})");
        }

        // transformers 5 nests rope settings in rope_parameters; older configs use rope_theta + rope_scaling.
        var ropeParameters = root["rope_parameters"] as JsonObject;
        var ropeTheta = (ropeParameters is null ? null : new FieldReader(ropeParameters, source + ": rope_parameters").Double("rope_theta"))
            ?? reader.Double("rope_theta") ?? 10000.0;
        var ropeScaling = ReadRopeScaling(root["rope_scaling"] as JsonObject, source + ": rope_scaling")
            ?? ReadRopeScaling(ropeParameters, source + ": rope_parameters");
        var attentionBias = reader.Bool("attention_bias") ?? false;
        var pad = reader.Int("pad_token_id");

        var config = new LlamaConfig
        {
            Architecture = architecture,
            ModelType = modelType,
            VocabSize = reader.RequiredInt("vocab_size"),
            HiddenSize = hidden,
            IntermediateSize = reader.RequiredInt("intermediate_size"),
            NumHiddenLayers = reader.RequiredInt("num_hidden_layers"),
            NumAttentionHeads = heads,
            NumKeyValueHeads = reader.Int("num_key_value_heads") ?? heads,
            HeadDim = headDim ?? (heads > 0 ? hidden / heads : 0),
            MaxPositionEmbeddings = reader.Int("max_position_embeddings") ?? 2048,
            RmsNormEps = reader.Double("rms_norm_eps") ?? 1e-6,
            RopeTheta = ropeTheta,
            RopeScaling = ropeScaling,
            QkvBias = isQwen2 || attentionBias,
            OutputBias = !isQwen2 && attentionBias,
            MlpBias = reader.Bool("mlp_bias") ?? false,
            TieWordEmbeddings = reader.Bool("tie_word_embeddings") ?? false,
            InitializerRange = reader.Double("initializer_range") ?? 0.02,
            BosTokenId = reader.Int("bos_token_id"),
            EosTokenIds = reader.IntOrList("eos_token_id"),
            PadTokenId = pad is < 0 ? null : pad, // some Llama 2 exports write -1 for "none"
        };

        try
        {
            config.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException($"{source}: {ex.Message}", ex);
        }

        return config;
    }

    public static string Write(LlamaConfig config, string torchDtype)
    {
        var isQwen2 = config.Architecture == LlamaConfig.Qwen2Architecture;
        var json = new JsonObject
        {
            ["architectures"] = new JsonArray(config.Architecture),
            ["model_type"] = config.ModelType,
            ["vocab_size"] = config.VocabSize,
            ["hidden_size"] = config.HiddenSize,
            ["intermediate_size"] = config.IntermediateSize,
            ["num_hidden_layers"] = config.NumHiddenLayers,
            ["num_attention_heads"] = config.NumAttentionHeads,
            ["num_key_value_heads"] = config.NumKeyValueHeads,
            ["head_dim"] = config.HeadDim,
            ["hidden_act"] = "silu",
            ["max_position_embeddings"] = config.MaxPositionEmbeddings,
            ["rms_norm_eps"] = config.RmsNormEps,
            // The legacy top-level form: transformers 4.x reads only it, 5.x converts it to rope_parameters.
            ["rope_theta"] = config.RopeTheta,
            ["rope_scaling"] = config.RopeScaling is { } s ? WriteRopeScaling(s) : null,
            ["tie_word_embeddings"] = config.TieWordEmbeddings,
            ["initializer_range"] = config.InitializerRange,
            ["bos_token_id"] = config.BosTokenId,
            ["eos_token_id"] = config.EosTokenIds.Count == 1 ? JsonValue.Create(config.EosTokenIds[0]) : new JsonArray(config.EosTokenIds.Select(id => (JsonNode?)id).ToArray()),
            ["pad_token_id"] = config.PadTokenId,
            ["torch_dtype"] = torchDtype,
            ["use_cache"] = true,
        };
        if (config.EosTokenIds.Count == 0)
        {
            json["eos_token_id"] = null;
        }

        if (isQwen2)
        {
            json["use_sliding_window"] = false;
        }
        else
        {
            json["attention_bias"] = config.QkvBias;
            json["mlp_bias"] = config.MlpBias;
        }

        return json.ToJsonString(Indented);
    }

    private static string ReadArchitecture(JsonObject root, FieldReader reader)
    {
        if (root["architectures"] is JsonArray { Count: > 0 } list && list[0] is JsonValue first && first.TryGetValue(out string? name))
        {
            return name is LlamaConfig.LlamaArchitecture or LlamaConfig.Qwen2Architecture
                ? name
                : throw new InvalidDataException($"{reader.Source}: architecture '{name}' is not supported (supported: {LlamaConfig.LlamaArchitecture}, {LlamaConfig.Qwen2Architecture})");
        }

        return reader.String("model_type") switch
        {
            null or "llama" => LlamaConfig.LlamaArchitecture,
            "qwen2" => LlamaConfig.Qwen2Architecture,
            var other => throw new InvalidDataException($"{reader.Source}: model_type '{other}' is not supported (supported: llama, qwen2)"),
        };
    }

    private static RopeScaling? ReadRopeScaling(JsonObject? node, string source)
    {
        if (node is null)
        {
            return null;
        }

        var reader = new FieldReader(node, source);
        var type = reader.String("rope_type") ?? reader.String("type");
        if (type is null or "default")
        {
            return null;
        }

        if (type is not (RopeScaling.Linear or RopeScaling.Llama3))
        {
            throw new InvalidDataException($"{source}: rope type '{type}' is not supported (supported: default, linear, llama3)");
        }

        var scaling = new RopeScaling(
            type,
            reader.Double("factor") ?? throw new InvalidDataException($"{source}: 'factor' is required for rope type '{type}'"),
            reader.Double("low_freq_factor") ?? 1.0,
            reader.Double("high_freq_factor") ?? 4.0,
            reader.Int("original_max_position_embeddings") ?? 8192);
        try
        {
            scaling.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException($"{source}: {ex.Message}", ex);
        }

        return scaling;
    }

    private static JsonObject WriteRopeScaling(RopeScaling s)
    {
        var node = new JsonObject { ["rope_type"] = s.Type, ["factor"] = s.Factor };
        if (s.Type == RopeScaling.Llama3)
        {
            node["low_freq_factor"] = s.LowFreqFactor;
            node["high_freq_factor"] = s.HighFreqFactor;
            node["original_max_position_embeddings"] = s.OriginalMaxPositionEmbeddings;
        }

        return node;
    }

    /// <summary>Typed access to optional fields; a present field of the wrong type is an error naming the field.</summary>
    private sealed class FieldReader(JsonObject node, string source)
    {
        public string Source => source;

        public string? String(string name) => Get(name, "a string", v => v.TryGetValue(out string? s) ? s : null);

        public bool? Bool(string name) => Get(name, "true or false", v => v.TryGetValue(out bool b) ? b : (bool?)null);

        public double? Double(string name) => Get(name, "a number", v => v.TryGetValue(out double d) ? d : (double?)null);

        public int? Int(string name) => Get(name, "an integer", v =>
            v.TryGetValue(out int i) ? i
            : v.TryGetValue(out double d) && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue ? (int)d : (int?)null);

        public int RequiredInt(string name) => Int(name) ?? throw new InvalidDataException($"{source}: '{name}' is required");

        public int[] IntOrList(string name)
        {
            if (node[name] is JsonArray array)
            {
                var ids = new List<int>(array.Count);
                foreach (var item in array)
                {
                    ids.Add(item is JsonValue v && v.TryGetValue(out int id)
                        ? id
                        : throw new InvalidDataException($"{source}: '{name}' must be an integer or a list of integers (got {array.ToJsonString()})"));
                }

                return [.. ids];
            }

            return Int(name) is { } single ? [single] : [];
        }

        private T? Get<T>(string name, string expected, Func<JsonValue, T?> convert)
        {
            var value = node[name];
            if (value is null)
            {
                return default;
            }

            var converted = value is JsonValue scalar ? convert(scalar) : default;
            return converted ?? throw new InvalidDataException($"{source}: '{name}' must be {expected} (got {value.ToJsonString()})");
        }
    }
}
