using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LLMDistill.Model;

#pragma warning disable IDE1006 // HF names: the field names are the checkpoint keys

/// <summary>
/// A Llama-family causal language model (Llama 2/3.x, SmolLM2, TinyLlama, Qwen2/2.5) whose parameter names are the
/// Hugging Face checkpoint keys (<c>model.layers.0.self_attn.q_proj.weight</c>, ...). With tied embeddings there is no
/// <c>lm_head</c> parameter: logits use <c>model.embed_tokens.weight</c>.
/// </summary>
public sealed class LlamaForCausalLM : nn.Module<CausalLmInput, CausalLmOutput>
{
    private readonly LlamaModel model;
    private readonly Linear? lm_head;

    /// <summary>Creates a model with freshly initialised weights (TorchSharp defaults; see <see cref="InitializeWeights"/>).</summary>
    /// <param name="config">The architecture; validated here.</param>
    /// <param name="device">Where the parameters live (default CPU).</param>
    /// <param name="dtype">Parameter dtype: float32, bfloat16 or float16.</param>
    /// <exception cref="ArgumentException">The config fails validation or the dtype is not a floating type.</exception>
    public LlamaForCausalLM(LlamaConfig config, Device? device = null, ScalarType dtype = ScalarType.Float32)
        : base(nameof(LlamaForCausalLM))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        if (dtype is not (ScalarType.Float32 or ScalarType.BFloat16 or ScalarType.Float16))
        {
            throw new ArgumentException($"model dtype must be float32, bfloat16 or float16 (got {dtype})", nameof(dtype));
        }

        Config = config;
        model = new LlamaModel(config, device, dtype);
        lm_head = config.TieWordEmbeddings ? null : nn.Linear(config.HiddenSize, config.VocabSize, hasBias: false, device, dtype);
        RegisterComponents();
    }

    /// <summary>The architecture this model was built from.</summary>
    public LlamaConfig Config { get; }

    /// <summary>The dtype of the parameters (follows <c>to()</c>).</summary>
    public ScalarType Dtype => model.EmbedTokens.weight!.dtype;

    /// <summary>The device of the parameters (follows <c>to()</c>).</summary>
    public Device Device => model.EmbedTokens.weight!.device;

    /// <summary>Runs the decoder; see <see cref="CausalLmInput"/> for the contract.</summary>
    /// <param name="input">Ids, optional positions, mask and cache, and what to return.</param>
    /// <returns>Final hidden state, logits unless opted out, and optionally every layer's hidden state.</returns>
    /// <exception cref="ArgumentException">Wrong rank, dtype or shape of an input.</exception>
    public override CausalLmOutput forward(CausalLmInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInput(input);
        using var scope = NewDisposeScope();
        var (hidden, all) = model.forward(input);
        var logits = input.ComputeLogits ? LmHead(hidden).MoveToOuterDisposeScope() : null;
        hidden.MoveToOuterDisposeScope();
        if (all is not null)
        {
            foreach (var t in all)
            {
                t.MoveToOuterDisposeScope();
            }
        }

        return new CausalLmOutput(hidden, logits, all);
    }

    /// <summary>Logits for hidden states (..., C) -&gt; (..., V) in the weights' dtype, so losses can work in chunks of positions.</summary>
    /// <param name="hidden">Final hidden states (after the final norm), e.g. a slice of <see cref="CausalLmOutput.LastHiddenState"/>.</param>
    /// <returns>The logits.</returns>
    public Tensor LmHead(Tensor hidden)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        return lm_head is null ? nn.functional.linear(hidden, model.EmbedTokens.weight!) : lm_head.forward(hidden);
    }

    /// <summary>Creates an empty KV cache sized for this model.</summary>
    /// <param name="capacity">Positions to preallocate (prompt + new tokens avoids regrowth).</param>
    /// <returns>A cache the caller disposes.</returns>
    public KvCache CreateCache(long capacity = 256) => new(Config.NumHiddenLayers, capacity);

    /// <summary>
    /// Re-initialises every weight as transformers does for a fresh model: linear and embedding weights from
    /// N(0, initializer_range²), biases 0, norm scales 1, the padding embedding row 0.
    /// </summary>
    /// <param name="seed">Seed of the generator, so a student is reproducible.</param>
    public void InitializeWeights(long seed)
    {
        using var noGrad = no_grad();
        using var generator = new Generator((ulong)seed, Device);
        var std = Config.InitializerRange;
        foreach (var (name, parameter) in named_parameters())
        {
            if (name.EndsWith("layernorm.weight", StringComparison.Ordinal) || name == "model.norm.weight")
            {
                parameter.fill_(1.0);
            }
            else if (name.EndsWith(".bias", StringComparison.Ordinal))
            {
                parameter.zero_();
            }
            else
            {
                parameter.normal_(0.0, std, generator); // nn.init.normal_ ignores the generator in TorchSharp 0.107
            }
        }

        if (Config.PadTokenId is { } pad)
        {
            using var row = model.EmbedTokens.weight!.select(0, pad);
            row.zero_();
        }
    }

    private void CheckInput(CausalLmInput input)
    {
        var ids = input.InputIds ?? throw new ArgumentException("InputIds is required");
        if (ids.dim() != 2 || ids.dtype != ScalarType.Int64)
        {
            throw new ArgumentException($"input ids must be (B, T) int64 (got rank {ids.dim()} {ids.dtype})");
        }

        if (ids.shape[1] == 0)
        {
            throw new ArgumentException("input ids must have at least one position");
        }

        if (input.PositionIds is { } positions && (positions.dim() != 2 || positions.shape[1] != ids.shape[1] || (positions.shape[0] != ids.shape[0] && positions.shape[0] != 1)))
        {
            throw new ArgumentException($"position ids must be (B={ids.shape[0]}, T={ids.shape[1]}) (got ({string.Join(", ", positions.shape)}))");
        }

        if (input.Cache is { } cache && cache.NumLayers != Config.NumHiddenLayers)
        {
            throw new ArgumentException($"KV cache has {cache.NumLayers} layers but the model has {Config.NumHiddenLayers}");
        }
    }
}
