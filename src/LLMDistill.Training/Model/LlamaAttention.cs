using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LLMDistill.Model;

#pragma warning disable IDE1006 // HF names: the field names are the checkpoint keys

/// <summary>
/// Grouped-query self-attention with rotary embeddings through <c>scaled_dot_product_attention</c>; q/k/v/o biases
/// as the config says (Qwen2: q/k/v only).
/// </summary>
internal sealed class LlamaAttention : nn.Module<DecoderLayerInput, Tensor>
{
    private readonly Linear q_proj;
    private readonly Linear k_proj;
    private readonly Linear v_proj;
    private readonly Linear o_proj;
    private readonly int _layerIndex;
    private readonly long _numHeads;
    private readonly long _numKvHeads;
    private readonly long _headDim;

    public LlamaAttention(LlamaConfig config, int layerIndex, Device? device, ScalarType dtype)
        : base(nameof(LlamaAttention))
    {
        _layerIndex = layerIndex;
        _numHeads = config.NumAttentionHeads;
        _numKvHeads = config.NumKeyValueHeads;
        _headDim = config.HeadDim;
        q_proj = nn.Linear(config.HiddenSize, _numHeads * _headDim, config.QkvBias, device, dtype);
        k_proj = nn.Linear(config.HiddenSize, _numKvHeads * _headDim, config.QkvBias, device, dtype);
        v_proj = nn.Linear(config.HiddenSize, _numKvHeads * _headDim, config.QkvBias, device, dtype);
        o_proj = nn.Linear(_numHeads * _headDim, config.HiddenSize, config.OutputBias, device, dtype);
        RegisterComponents();
    }

    public override Tensor forward(DecoderLayerInput input)
    {
        using var scope = NewDisposeScope();
        var x = input.HiddenStates;
        long batch = x.shape[0], steps = x.shape[1];
        var q = q_proj.forward(x).view(batch, steps, _numHeads, _headDim).transpose(1, 2); // (B, H, T, D)
        var k = k_proj.forward(x).view(batch, steps, _numKvHeads, _headDim).transpose(1, 2); // (B, KV, T, D)
        var v = v_proj.forward(x).view(batch, steps, _numKvHeads, _headDim).transpose(1, 2); // (B, KV, T, D)
        q = input.Rotary.Apply(q);
        k = input.Rotary.Apply(k);
        if (input.Cache is { } cache)
        {
            (k, v) = cache.Append(_layerIndex, k, v); // (B, KV, past + T, D)
        }

        var groups = _numHeads / _numKvHeads;
        Tensor attended;
        if (steps == 1 && groups > 1)
        {
            // One query token: fold the query heads that share a kv head into the query axis, so K/V are read
            // as they are instead of being copied `groups` times. The (B, 1, 1, S) mask broadcasts over the fold.
            var folded = q.reshape(batch, _numKvHeads, groups, _headDim); // (B, KV, G, D)
            attended = nn.functional.scaled_dot_product_attention(folded, k, v, input.Mask)
                .reshape(batch, _numHeads, 1, _headDim); // (B, H, 1, D)
        }
        else
        {
            if (groups > 1)
            {
                k = k.repeat_interleave(groups, dim: 1); // (B, H, S, D)
                v = v.repeat_interleave(groups, dim: 1); // (B, H, S, D)
            }

            attended = nn.functional.scaled_dot_product_attention(q, k, v, input.Mask, is_casual: input.IsCausal); // (B, H, T, D)
        }

        var merged = attended.transpose(1, 2).reshape(batch, steps, _numHeads * _headDim); // (B, T, H*D)
        return o_proj.forward(merged).MoveToOuterDisposeScope(); // (B, T, C)
    }
}
