using System.Text.Json.Nodes;
using LLMDistill.Checkpoints;
using LLMDistill.Model;
using LLMDistill.Tests.Fixtures;
using LLMDistill.Tests.Model;
using static TorchSharp.torch;

namespace LLMDistill.Tests.Checkpoints;

/// <summary>Hugging Face directory save/load: bit-exact round trips, sharded indexes, and errors naming the keys.</summary>
public sealed class HfCheckpointTests : IDisposable
{
    private readonly TempDir _dir = new();

    [Theory]
    [InlineData("tiny-llama", ScalarType.Float32)]
    [InlineData("tiny-qwen2", ScalarType.Float32)]
    [InlineData("tiny-llama", ScalarType.BFloat16)]
    [InlineData("tiny-qwen2", ScalarType.BFloat16)]
    public void SaveThenLoad_RoundTripsBitExactly(string fixture, ScalarType dtype)
    {
        using var original = HfCheckpoint.Load(HfReference.Dir(fixture), dtype: dtype);
        HfCheckpoint.Save(original, _dir.Path, tokenizerSourceDirectory: HfReference.Dir(fixture));
        using var reloaded = HfCheckpoint.Load(_dir.Path, dtype: dtype);

        AssertSameParameters(original, reloaded);
        Assert.Equal(original.Config with { EosTokenIds = [] }, reloaded.Config with { EosTokenIds = [] });
        Assert.Equal(original.Config.EosTokenIds, reloaded.Config.EosTokenIds);
        using var reader = SafetensorsReader.Open(_dir.File("model.safetensors"));
        Assert.Equal("pt", reader.Metadata["format"]);
        Assert.All(reader.Tensors, t => Assert.Equal(dtype == ScalarType.Float32 ? "F32" : "BF16", t.Dtype));
        Assert.Equal(!original.Config.TieWordEmbeddings, reader.Contains("lm_head.weight"));
        var config = JsonNode.Parse(File.ReadAllText(_dir.File("config.json")))!;
        Assert.Equal(ModelDtypes.Name(dtype), config["torch_dtype"]!.GetValue<string>());
        Assert.True(File.Exists(_dir.File("generation_config.json")));
    }

    [Theory]
    [InlineData(ScalarType.Float16, ScalarType.Float32)]
    [InlineData(ScalarType.BFloat16, ScalarType.Float32)]
    [InlineData(ScalarType.Float32, ScalarType.Float16)]
    public void Load_StoredDtypeDiffersFromRequested_Converts(ScalarType stored, ScalarType requested)
    {
        using var original = HfCheckpoint.Load(HfReference.Dir("tiny-llama"), dtype: stored);
        HfCheckpoint.Save(original, _dir.Path);
        using var converted = HfCheckpoint.Load(_dir.Path, dtype: requested);
        Assert.Equal(requested, converted.Dtype);
        var expected = original.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, parameter) in converted.named_parameters())
        {
            using var want = expected[name].to_type(requested);
            Assert.True(TensorBits.Same(want, parameter), name);
        }
    }

    [Fact]
    public void Save_CopiesTokenizerFilesAndGenerationConfig()
    {
        var source = SharedPaths.Model("shakespeare-1m");
        using var model = HfCheckpoint.Load(source);
        HfCheckpoint.Save(model, _dir.Path, source);
        Assert.Equal(File.ReadAllBytes(Path.Combine(source, "tokenizer.json")), File.ReadAllBytes(_dir.File("tokenizer.json")));
        Assert.True(File.Exists(_dir.File("tokenizer_config.json")));
        var generation = HfGenerationConfig.Load(_dir.Path, model.Config);
        Assert.Equal([2], generation.EosTokenIds);
        Assert.Equal(0, generation.PadTokenId);
    }

    [Fact]
    public void Load_HandWrittenTwoShardIndex_GivesSameLogits()
    {
        using var original = HfCheckpoint.Load(HfReference.Dir("tiny-llama"));
        var parameters = original.named_parameters().Select(p => new KeyValuePair<string, Tensor>(p.name, p.parameter)).ToList();
        var half = parameters.Count / 2;
        SafetensorsWriter.Write(_dir.File("model-00001-of-00002.safetensors"), parameters.Take(half).ToList());
        SafetensorsWriter.Write(_dir.File("model-00002-of-00002.safetensors"), parameters.Skip(half).ToList());
        var map = new JsonObject();
        for (var i = 0; i < parameters.Count; i++)
        {
            map[parameters[i].Key] = i < half ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors";
        }

        File.WriteAllText(_dir.File("model.safetensors.index.json"), new JsonObject { ["metadata"] = new JsonObject(), ["weight_map"] = map }.ToJsonString());
        File.Copy(Path.Combine(HfReference.Dir("tiny-llama"), "config.json"), _dir.File("config.json"));

        using var sharded = HfCheckpoint.Load(_dir.Path);
        AssertSameParameters(original, sharded);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = tensor(new long[] { 5, 17, 42, 99 }).unsqueeze(0);
        Assert.True(TensorBits.Same(original.forward(new CausalLmInput(ids)).Logits!, sharded.forward(new CausalLmInput(ids)).Logits!));
    }

    [Fact]
    public void Save_WithShardLimit_WritesIndexThatLoads()
    {
        using var original = HfCheckpoint.Load(HfReference.Dir("tiny-qwen2"));
        HfCheckpoint.Save(original, _dir.Path, maxShardBytes: 100_000);
        Assert.False(File.Exists(_dir.File("model.safetensors")));
        Assert.True(Directory.GetFiles(_dir.Path, "model-*-of-*.safetensors").Length >= 2);
        using var reloaded = HfCheckpoint.Load(_dir.Path);
        AssertSameParameters(original, reloaded);

        HfCheckpoint.Save(original, _dir.Path); // back to one file: the stale shards and index go away
        Assert.Empty(Directory.GetFiles(_dir.Path, "model-*-of-*.safetensors"));
        Assert.False(File.Exists(_dir.File("model.safetensors.index.json")));
    }

    [Fact]
    public void Load_MissingTensor_NamesIt()
    {
        WriteVariant("tiny-llama", (name, _) => name != "model.layers.1.mlp.up_proj.weight");
        var ex = Assert.Throws<InvalidDataException>(() => HfCheckpoint.Load(_dir.Path));
        Assert.Contains("missing 1 tensor(s)", ex.Message);
        Assert.Contains("model.layers.1.mlp.up_proj.weight", ex.Message);
    }

    [Fact]
    public void Load_UnexpectedTensor_NamesIt()
    {
        WriteVariant("tiny-qwen2", (_, _) => true, extra: "model.layers.0.self_attn.o_proj.bias");
        var ex = Assert.Throws<InvalidDataException>(() => HfCheckpoint.Load(_dir.Path));
        Assert.Contains("model.layers.0.self_attn.o_proj.bias", ex.Message);
        Assert.Contains("does not use", ex.Message);
    }

    [Fact]
    public void Load_ShapeMismatch_NamesTensorAndShapes()
    {
        WriteVariant("tiny-llama", (_, _) => true, configEdit: c => c["intermediate_size"] = 128);
        var ex = Assert.Throws<InvalidDataException>(() => HfCheckpoint.Load(_dir.Path));
        Assert.Matches(@"tensor 'model\.layers\.\d\.mlp\.(gate|up|down)_proj\.weight' has shape \[(176, 64|64, 176)\] but the config implies \[(128, 64|64, 128)\]", ex.Message);
    }

    [Fact]
    public void Load_MissingDirectoryOrFiles_NamesThem()
    {
        var missing = _dir.File("nope");
        Assert.Contains(missing, Assert.Throws<DirectoryNotFoundException>(() => HfCheckpoint.Load(missing)).Message);
        Assert.Contains("has no config.json", Assert.Throws<FileNotFoundException>(() => HfCheckpoint.Load(_dir.Path)).Message);
        File.Copy(Path.Combine(HfReference.Dir("tiny-llama"), "config.json"), _dir.File("config.json"));
        Assert.Contains("no model.safetensors", Assert.Throws<FileNotFoundException>(() => HfCheckpoint.Load(_dir.Path)).Message);
    }

    [Fact]
    public void Load_IndexPointingOutsideTheDirectory_IsRefused()
    {
        File.Copy(Path.Combine(HfReference.Dir("tiny-llama"), "config.json"), _dir.File("config.json"));
        File.WriteAllText(_dir.File("model.safetensors.index.json"), """{"weight_map":{"lm_head.weight":"../model.safetensors"}}""");
        Assert.Contains("not a file name in the model directory", Assert.Throws<InvalidDataException>(() => HfCheckpoint.Load(_dir.Path)).Message);
    }

    public void Dispose() => _dir.Dispose();

    private static void AssertSameParameters(LlamaForCausalLM expected, LlamaForCausalLM actual)
    {
        var a = expected.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var b = actual.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var (name, value) in a)
        {
            Assert.True(TensorBits.Same(value, b[name]), name);
        }
    }

    /// <summary>Copies a fixture into the temp dir, keeping the tensors <paramref name="keep"/> accepts, adding one, or editing the config.</summary>
    private void WriteVariant(string fixture, Func<string, Tensor, bool> keep, string? extra = null, Action<JsonNode>? configEdit = null)
    {
        using var scope = NewDisposeScope();
        using var reader = SafetensorsReader.Open(Path.Combine(HfReference.Dir(fixture), "model.safetensors"));
        var tensors = reader.Tensors.Select(t => new KeyValuePair<string, Tensor>(t.Name, reader.Read(t.Name))).Where(kv => keep(kv.Key, kv.Value)).ToList();
        if (extra is not null)
        {
            tensors.Add(new(extra, zeros(4)));
        }

        SafetensorsWriter.Write(_dir.File("model.safetensors"), tensors);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(HfReference.Dir(fixture), "config.json")))!;
        configEdit?.Invoke(config);
        File.WriteAllText(_dir.File("config.json"), config.ToJsonString());
    }
}
