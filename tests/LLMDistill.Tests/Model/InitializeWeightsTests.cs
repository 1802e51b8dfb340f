using LLMDistill.Model;
using static TorchSharp.torch;

namespace LLMDistill.Tests.Model;

public sealed class InitializeWeightsTests
{
    [Fact]
    public void InitializeWeights_FollowsTransformersInitAndIsReproducible()
    {
        var config = LlamaConfig.FromJson("""
            {"vocab_size":300,"hidden_size":64,"intermediate_size":176,"num_hidden_layers":2,"num_attention_heads":4,
             "num_key_value_heads":2,"pad_token_id":0,"attention_bias":true,"initializer_range":0.05}
            """);
        using var a = new LlamaForCausalLM(config);
        using var b = new LlamaForCausalLM(config);
        a.InitializeWeights(seed: 7);
        b.InitializeWeights(seed: 7);
        var pa = a.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, parameter) in b.named_parameters())
        {
            Assert.True(pa[name].allclose(parameter, 0, 0), name);
        }

        Assert.Equal(0.05, pa["model.layers.0.mlp.up_proj.weight"].std().item<float>(), 2);
        Assert.Equal(0f, pa["model.layers.1.self_attn.o_proj.bias"].abs().sum().item<float>());
        Assert.Equal(64f, pa["model.norm.weight"].sum().item<float>());
        Assert.Equal(0f, pa["model.embed_tokens.weight"][0].abs().sum().item<float>()); // padding row
        Assert.Contains("lm_head.weight", pa.Keys);
    }
}
