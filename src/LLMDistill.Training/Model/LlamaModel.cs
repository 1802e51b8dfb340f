using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LLMDistill.Model;

#pragma warning disable IDE1006 // HF names: the field names are the checkpoint keys

/// <summary>The decoder stack (<c>model.*</c> in checkpoints): embeddings, layers, final norm.</summary>
internal sealed class LlamaModel : nn.Module<CausalLmInput, (Tensor Hidden, IReadOnlyList<Tensor>? All)>
{
    private readonly Embedding embed_tokens;
    private readonly ModuleList<LlamaDecoderLayer> layers;
    private readonly LlamaRmsNorm norm;
    private readonly LlamaRotaryEmbedding _rotary;

    public LlamaModel(LlamaConfig config, Device? device, ScalarType dtype)
        : base(nameof(LlamaModel))
    {
        embed_tokens = nn.Embedding(config.VocabSize, config.HiddenSize, config.PadTokenId, device: device, dtype: dtype);
        layers = new ModuleList<LlamaDecoderLayer>(
            Enumerable.Range(0, config.NumHiddenLayers).Select(i => new LlamaDecoderLayer(config, i, device, dtype)).ToArray());
        norm = new LlamaRmsNorm(config.HiddenSize, config.RmsNormEps, device, dtype);
        _rotary = new LlamaRotaryEmbedding(config);
        RegisterComponents();
    }

    public Embedding EmbedTokens => embed_tokens;

    public override (Tensor Hidden, IReadOnlyList<Tensor>? All) forward(CausalLmInput input)
    {
        using var scope = NewDisposeScope();
        var ids = input.InputIds;
        long batch = ids.shape[0], steps = ids.shape[1];
        var past = input.Cache?.Length ?? 0;
        var h = embed_tokens.forward(ids); // (B, T, C)
        var positions = input.PositionIds
            ?? arange(past, past + steps, 1, ScalarType.Int64, ids.device).unsqueeze(0).expand(batch, steps); // (B, T)
        var rotary = _rotary.Compute(positions, h.dtype);
        var mask = AttentionMasks.ForAttention(input.AttentionMask, batch, steps, past, ids.device, out var isCausal);
        var all = input.OutputHiddenStates ? new List<Tensor>(layers.Count + 1) { h } : null;
        foreach (var layer in layers)
        {
            h = layer.forward(new DecoderLayerInput(h, rotary, mask, isCausal, input.Cache)); // (B, T, C)
            all?.Add(h);
        }

        var hidden = norm.forward(h).MoveToOuterDisposeScope();
        if (all is not null)
        {
            foreach (var t in all)
            {
                t.MoveToOuterDisposeScope();
            }
        }

        return (hidden, all);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _rotary.Dispose();
        }

        base.Dispose(disposing);
    }
}
