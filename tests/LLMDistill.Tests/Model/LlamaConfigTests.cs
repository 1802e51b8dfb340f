using LLMDistill.Model;
using LLMDistill.Tests.Fixtures;

namespace LLMDistill.Tests.Model;

public sealed class LlamaConfigTests
{
    private const string Minimal = """
        {"architectures":["LlamaForCausalLM"],"vocab_size":100,"hidden_size":64,"intermediate_size":128,
         "num_hidden_layers":2,"num_attention_heads":4,"num_key_value_heads":2,"rope_theta":500000.0,"eos_token_id":[7,8]}
        """;

    [Fact]
    public void Load_TransformersFiveQwen2_ReadsNestedRopeThetaAndBiases()
    {
        var config = LlamaConfig.Load(Path.Combine(SharedPaths.HfFixture("tiny-qwen2"), "config.json"));
        Assert.Equal(1_000_000.0, config.RopeTheta);
        Assert.Equal(LlamaConfig.Qwen2Architecture, config.Architecture);
        Assert.True(config.QkvBias);
        Assert.False(config.OutputBias);
        Assert.True(config.TieWordEmbeddings);
        Assert.Equal(8, config.HeadDim); // 48 / 6, no head_dim in the file
    }

    [Fact]
    public void FromJson_TopLevelRopeThetaAndEosList_AreRead()
    {
        var config = LlamaConfig.FromJson(Minimal);
        Assert.Equal(500000.0, config.RopeTheta);
        Assert.Equal([7, 8], config.EosTokenIds);
        Assert.Equal(16, config.HeadDim);
        Assert.Equal(2, config.KeyValueGroups);
        Assert.Null(config.RopeScaling);
    }

    [Fact]
    public void ToJson_ThenFromJson_RoundTrips()
    {
        var config = LlamaConfig.FromJson(Minimal.Replace("\"eos_token_id\"", "\"rope_scaling\":{\"rope_type\":\"linear\",\"factor\":2.0},\"eos_token_id\"", StringComparison.Ordinal));
        var again = LlamaConfig.FromJson(config.ToJson("bfloat16"));
        Assert.Equal(config with { EosTokenIds = [] }, again with { EosTokenIds = [] });
        Assert.Equal(config.EosTokenIds, again.EosTokenIds);
        Assert.Equal(new RopeScaling("linear", 2.0), again.RopeScaling);
    }

    [Fact]
    public void RopeScaling_Llama3_MatchesTransformersFormula()
    {
        // Llama 3.2 1B: head_dim 64, theta 500000, factor 32, low 1, high 4, original context 8192.
        // Expected values computed from transformers' _compute_llama3_parameters (in float64).
        var json = """
            {"vocab_size":100,"hidden_size":256,"intermediate_size":128,"num_hidden_layers":1,"num_attention_heads":4,
             "rope_theta":500000.0,"rope_scaling":{"rope_type":"llama3","factor":32.0,"low_freq_factor":1.0,
             "high_freq_factor":4.0,"original_max_position_embeddings":8192}}
            """;
        var config = LlamaConfig.FromJson(json);
        var inv = Enumerable.Range(0, 32).Select(i => 1.0 / Math.Pow(500000.0, 2.0 * i / 64)).ToArray();
        var scaled = config.RopeScaling!.Apply(inv);
        Assert.Equal(0.016560440080994446, scaled[10], 12); // high frequency: unchanged
        Assert.Equal(0.001290547928209264, scaled[15], 12); // medium: smoothed
        Assert.Equal(0.00042955679655936815, scaled[16], 12);
        Assert.Equal(9.70828780262767e-05, scaled[17], 12);
        Assert.Equal(8.570255489881478e-06, scaled[20], 12); // low frequency: divided by the factor
    }

    [Fact]
    public void RotaryEmbedding_LinearScaling_DividesEveryFrequency()
    {
        var plain = LlamaConfig.FromJson(Minimal);
        var scaled = plain with { RopeScaling = new RopeScaling(RopeScaling.Linear, 4.0) };
        using var a = new LlamaRotaryEmbedding(plain);
        using var b = new LlamaRotaryEmbedding(scaled);
        Assert.Equal(8, a.InverseFrequency.Count); // head_dim 16 / 2
        Assert.Equal(1f, a.InverseFrequency[0]);
        Assert.Equal(a.InverseFrequency.Select(f => f / 4), b.InverseFrequency.Select(f => f));
    }

    [Theory]
    [InlineData("\"num_key_value_heads\":2", "\"num_key_value_heads\":3", "num_attention_heads must be divisible by num_key_value_heads (got 4 and 3)")]
    [InlineData("\"hidden_size\":64", "\"hidden_size\":65", "hidden_size must be divisible by num_attention_heads when head_dim is absent (got 65 and 4)")]
    [InlineData("\"vocab_size\":100", "\"vocab_size\":\"many\"", "'vocab_size' must be an integer (got \"many\")")]
    [InlineData("\"vocab_size\":100,", "", "'vocab_size' is required")]
    [InlineData("LlamaForCausalLM", "GPT2LMHeadModel", "architecture 'GPT2LMHeadModel' is not supported")]
    [InlineData("\"rope_theta\":500000.0", "\"rope_scaling\":{\"type\":\"yarn\",\"factor\":4}", "rope type 'yarn' is not supported")]
    [InlineData("\"eos_token_id\":[7,8]", "\"eos_token_id\":[7,800]", "eos_token_id must be in [0, vocab_size=100) (got 800)")]
    [InlineData("{", "{\"hidden_act\":\"gelu\",", "hidden_act 'gelu' is not supported")]
    public void FromJson_Invalid_MessageNamesFieldAndValues(string find, string replace, string expected)
    {
        var json = Minimal.Replace(find, replace, StringComparison.Ordinal);
        var ex = Assert.Throws<InvalidDataException>(() => LlamaConfig.FromJson(json, "my/config.json"));
        Assert.Contains(expected, ex.Message);
        Assert.StartsWith("my/config.json", ex.Message);
    }

    [Fact]
    public void FromJson_NotJson_NamesSource()
    {
        var ex = Assert.Throws<InvalidDataException>(() => LlamaConfig.FromJson("{oops", "x/config.json"));
        Assert.Contains("x/config.json: not valid JSON", ex.Message);
    }
}
