using TorchSharp;
using static TorchSharp.torch;

namespace LLMDistill.Model;

#pragma warning disable IDE1006 // HF names: the field names are the checkpoint keys

/// <summary>Pre-norm decoder block: <c>x + attn(norm(x))</c>, then <c>x + mlp(norm(x))</c>.</summary>
internal sealed class LlamaDecoderLayer : nn.Module<DecoderLayerInput, Tensor>
{
    private readonly LlamaAttention self_attn;
    private readonly LlamaMlp mlp;
    private readonly LlamaRmsNorm input_layernorm;
    private readonly LlamaRmsNorm post_attention_layernorm;

    public LlamaDecoderLayer(LlamaConfig config, int layerIndex, Device? device, ScalarType dtype)
        : base(nameof(LlamaDecoderLayer))
    {
        self_attn = new LlamaAttention(config, layerIndex, device, dtype);
        mlp = new LlamaMlp(config, device, dtype);
        input_layernorm = new LlamaRmsNorm(config.HiddenSize, config.RmsNormEps, device, dtype);
        post_attention_layernorm = new LlamaRmsNorm(config.HiddenSize, config.RmsNormEps, device, dtype);
        RegisterComponents();
    }

    public override Tensor forward(DecoderLayerInput input)
    {
        using var scope = NewDisposeScope();
        var residual = input.HiddenStates;
        var h = residual + self_attn.forward(input with { HiddenStates = input_layernorm.forward(residual) }); // (B, T, C)
        h = h + mlp.forward(post_attention_layernorm.forward(h)); // (B, T, C)
        return h.MoveToOuterDisposeScope();
    }
}
