namespace LLMDistill.Model;

/// <summary>
/// Shape and numerics of a Llama-family decoder (Llama 2/3.x, SmolLM2, TinyLlama, Qwen2/2.5), the fields of a
/// Hugging Face <c>config.json</c>. Read with <see cref="FromJson"/> / <see cref="Load"/>, written with <see cref="ToJson"/>.
/// </summary>
public sealed record LlamaConfig
{
    /// <summary>Hugging Face class name for Llama-style checkpoints.</summary>
    public const string LlamaArchitecture = "LlamaForCausalLM";

    /// <summary>Hugging Face class name for Qwen2-style checkpoints (q/k/v biases).</summary>
    public const string Qwen2Architecture = "Qwen2ForCausalLM";

    /// <summary>The <c>architectures[0]</c> class name: <see cref="LlamaArchitecture"/> or <see cref="Qwen2Architecture"/>.</summary>
    public string Architecture { get; init; } = LlamaArchitecture;

    /// <summary>The <c>model_type</c>: <c>llama</c> or <c>qwen2</c>.</summary>
    public string ModelType { get; init; } = "llama";

    /// <summary>Number of token ids (<c>vocab_size</c>).</summary>
    public required int VocabSize { get; init; }

    /// <summary>Width of the residual stream (<c>hidden_size</c>).</summary>
    public required int HiddenSize { get; init; }

    /// <summary>Width of the SwiGLU MLP (<c>intermediate_size</c>).</summary>
    public required int IntermediateSize { get; init; }

    /// <summary>Number of decoder layers (<c>num_hidden_layers</c>).</summary>
    public required int NumHiddenLayers { get; init; }

    /// <summary>Number of query heads (<c>num_attention_heads</c>).</summary>
    public required int NumAttentionHeads { get; init; }

    /// <summary>Number of key/value heads (<c>num_key_value_heads</c>); fewer than query heads means grouped-query attention.</summary>
    public required int NumKeyValueHeads { get; init; }

    /// <summary>Width of one head (<c>head_dim</c>; defaults to hidden_size / num_attention_heads).</summary>
    public required int HeadDim { get; init; }

    /// <summary>Longest context the checkpoint declares (<c>max_position_embeddings</c>); informational, not a hard limit.</summary>
    public int MaxPositionEmbeddings { get; init; } = 2048;

    /// <summary>Epsilon of RMSNorm (<c>rms_norm_eps</c>).</summary>
    public double RmsNormEps { get; init; } = 1e-6;

    /// <summary>Rotary base (<c>rope_theta</c>, top level or inside <c>rope_parameters</c>).</summary>
    public double RopeTheta { get; init; } = 10000.0;

    /// <summary>Optional rotary scaling (<c>linear</c> or <c>llama3</c>); null for the default rotary embedding.</summary>
    public RopeScaling? RopeScaling { get; init; }

    /// <summary>Whether q_proj, k_proj and v_proj have a bias (Qwen2 always; Llama when <c>attention_bias</c>).</summary>
    public bool QkvBias { get; init; }

    /// <summary>Whether o_proj has a bias (Llama <c>attention_bias</c>; never for Qwen2).</summary>
    public bool OutputBias { get; init; }

    /// <summary>Whether the MLP projections have a bias (<c>mlp_bias</c>).</summary>
    public bool MlpBias { get; init; }

    /// <summary>Whether lm_head shares the embedding matrix (<c>tie_word_embeddings</c>); then checkpoints carry no lm_head.weight.</summary>
    public bool TieWordEmbeddings { get; init; }

    /// <summary>Standard deviation of the normal initialisation of fresh weights (<c>initializer_range</c>).</summary>
    public double InitializerRange { get; init; } = 0.02;

    /// <summary>Beginning-of-sequence id (<c>bos_token_id</c>), if any.</summary>
    public int? BosTokenId { get; init; }

    /// <summary>End-of-sequence ids (<c>eos_token_id</c>, an int or a list).</summary>
    public IReadOnlyList<int> EosTokenIds { get; init; } = [];

    /// <summary>Padding id (<c>pad_token_id</c>), if any.</summary>
    public int? PadTokenId { get; init; }

    /// <summary>Number of query heads that share one key/value head.</summary>
    public int KeyValueGroups => NumAttentionHeads / NumKeyValueHeads;

    /// <summary>Reads a Hugging Face <c>config.json</c>.</summary>
    /// <param name="path">Path of the file; it is named in every error.</param>
    /// <returns>The validated config.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not valid JSON, a field has the wrong type, or an invariant fails.</exception>
    public static LlamaConfig Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"model config '{path}' does not exist", path);
        }

        return LlamaConfigJson.Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses the text of a Hugging Face <c>config.json</c>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="source">Name of the source used in error messages.</param>
    /// <returns>The validated config.</returns>
    /// <exception cref="InvalidDataException">Invalid JSON, wrong field types, unsupported architecture or a failed invariant.</exception>
    public static LlamaConfig FromJson(string json, string source = "config.json") => LlamaConfigJson.Parse(json, source);

    /// <summary>Writes the config as Hugging Face <c>config.json</c> text that transformers 4.x and 5.x can read.</summary>
    /// <param name="torchDtype">The <c>torch_dtype</c> to record (<c>float32</c>, <c>bfloat16</c>, <c>float16</c>).</param>
    /// <returns>Indented JSON.</returns>
    public string ToJson(string torchDtype = "float32") => LlamaConfigJson.Write(this, torchDtype);

    /// <summary>Checks the invariants the model relies on; messages include the offending values.</summary>
    /// <exception cref="ArgumentException">An invariant fails.</exception>
    public void Validate()
    {
        Positive(VocabSize, "vocab_size");
        Positive(HiddenSize, "hidden_size");
        Positive(IntermediateSize, "intermediate_size");
        Positive(NumHiddenLayers, "num_hidden_layers");
        Positive(NumAttentionHeads, "num_attention_heads");
        Positive(NumKeyValueHeads, "num_key_value_heads");
        Positive(HeadDim, "head_dim");
        Positive(MaxPositionEmbeddings, "max_position_embeddings");
        if (NumAttentionHeads % NumKeyValueHeads != 0)
        {
            throw new ArgumentException($"num_attention_heads must be divisible by num_key_value_heads (got {NumAttentionHeads} and {NumKeyValueHeads})");
        }

        if (HeadDim % 2 != 0)
        {
            throw new ArgumentException($"head_dim must be even for rotary embeddings (got {HeadDim})");
        }

        if (!(RmsNormEps > 0) || double.IsInfinity(RmsNormEps))
        {
            throw new ArgumentException($"rms_norm_eps must be > 0 (got {RmsNormEps})");
        }

        if (!(RopeTheta > 0) || double.IsInfinity(RopeTheta))
        {
            throw new ArgumentException($"rope_theta must be > 0 (got {RopeTheta})");
        }

        if (Architecture is not (LlamaArchitecture or Qwen2Architecture))
        {
            throw new ArgumentException($"architecture '{Architecture}' is not supported (supported: {LlamaArchitecture}, {Qwen2Architecture})");
        }

        foreach (var (name, id) in new[] { ("bos_token_id", BosTokenId), ("pad_token_id", PadTokenId) })
        {
            if (id is { } value && (value < 0 || value >= VocabSize))
            {
                throw new ArgumentException($"{name} must be in [0, vocab_size={VocabSize}) (got {value})");
            }
        }

        foreach (var eos in EosTokenIds)
        {
            if (eos < 0 || eos >= VocabSize)
            {
                throw new ArgumentException($"eos_token_id must be in [0, vocab_size={VocabSize}) (got {eos})");
            }
        }

        RopeScaling?.Validate();
    }

    private static void Positive(int value, string name)
    {
        if (value <= 0)
        {
            throw new ArgumentException($"{name} must be > 0 (got {value})");
        }
    }
}
