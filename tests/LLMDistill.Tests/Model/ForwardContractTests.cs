using LLMDistill.Checkpoints;
using LLMDistill.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace LLMDistill.Tests.Model;

/// <summary>KV cache, padding masks, packed rows and the optional outputs give the same numbers as a plain forward pass.</summary>
public sealed class ForwardContractTests : IClassFixture<ForwardContractTests.Models>
{
    private const double Tolerance = 1e-5;
    private readonly Models _models;

    public ForwardContractTests(Models models) => _models = models;

    [Theory]
    [InlineData("tiny-llama")]
    [InlineData("tiny-qwen2")]
    public void Forward_IncrementalWithKvCache_EqualsFullForward(string fixture)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var model = _models[fixture];
        var ids = Ids(fixture); // (2, 19)
        var full = model.forward(new CausalLmInput(ids)).Logits!; // (2, 19, V)
        using var cache = model.CreateCache(capacity: 4); // small on purpose: forces the buffers to grow
        var parts = new List<Tensor> { model.forward(new CausalLmInput(ids.narrow(1, 0, 5), Cache: cache)).Logits! };
        for (var t = 5; t < ids.shape[1]; t++)
        {
            parts.Add(model.forward(new CausalLmInput(ids.narrow(1, t, 1), Cache: cache)).Logits!); // one token per step
        }

        Assert.Equal(ids.shape[1], cache.Length);
        AssertClose(full, cat(parts, 1));
    }

    [Fact]
    public void Forward_ChunkedPrefillWithCache_EqualsFullForward()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var model = _models["tiny-llama"];
        var ids = Ids("tiny-llama");
        var full = model.forward(new CausalLmInput(ids)).Logits!;
        using var cache = model.CreateCache();
        var first = model.forward(new CausalLmInput(ids.narrow(1, 0, 7), Cache: cache)).Logits!;
        var second = model.forward(new CausalLmInput(ids.narrow(1, 7, 12), Cache: cache)).Logits!; // T > 1 over a past: offset causal mask
        AssertClose(full, cat([first, second], 1));
    }

    [Fact]
    public void Forward_LeftPaddedRowWithMask_EqualsUnpaddedRow()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var model = _models["tiny-llama"];
        var ids = Ids("tiny-llama");
        var shortRow = ids.narrow(0, 1, 1).narrow(1, 0, 12); // (1, 12)
        var alone = model.forward(new CausalLmInput(shortRow)).Logits!; // (1, 12, V)
        var padded = cat([zeros([2, 7], ScalarType.Int64), ids.narrow(1, 0, 12)], 1).index_select(0, tensor(new long[] { 0, 1 })); // (2, 19)
        padded[0] = ids[0];
        var mask = ones([2, 19], ScalarType.Bool);
        mask[1, TensorIndex.Slice(0, 7)] = tensor(false);
        var positions = AttentionMasks.PaddingPositionIds(mask);
        var batched = model.forward(new CausalLmInput(padded, positions, mask)).Logits!;
        AssertClose(alone, batched.narrow(0, 1, 1).narrow(1, 7, 12));
        AssertClose(model.forward(new CausalLmInput(ids.narrow(0, 0, 1))).Logits!, batched.narrow(0, 0, 1));
    }

    [Theory]
    [InlineData("tiny-llama")]
    [InlineData("tiny-qwen2")]
    public void Forward_PackedRowWithBlockCausalMask_EqualsSamplesRunSeparately(string fixture)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var model = _models[fixture];
        var ids = Ids(fixture);
        var a = ids.narrow(0, 0, 1).narrow(1, 0, 8); // (1, 8)
        var b = ids.narrow(0, 1, 1).narrow(1, 0, 11); // (1, 11)
        var packed = cat([a, b], 1); // (1, 19): two samples in one training row
        var segments = tensor(Enumerable.Repeat(0L, 8).Concat(Enumerable.Repeat(1L, 11)).ToArray()).unsqueeze(0);
        var positions = AttentionMasks.PackedPositionIds(segments);
        var mask = AttentionMasks.BlockCausal(segments);
        var logits = model.forward(new CausalLmInput(packed, positions, mask)).Logits!;
        AssertClose(model.forward(new CausalLmInput(a)).Logits!, logits.narrow(1, 0, 8));
        AssertClose(model.forward(new CausalLmInput(b)).Logits!, logits.narrow(1, 8, 11));
    }

    [Fact]
    public void Forward_HiddenStatesAndLmHead_MatchLogits()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var model = _models["tiny-llama"];
        var ids = Ids("tiny-llama");
        var output = model.forward(new CausalLmInput(ids, OutputHiddenStates: true));
        Assert.Equal(model.Config.NumHiddenLayers + 1, output.HiddenStates!.Count);
        Assert.Equal(new long[] { 2, 19, model.Config.HiddenSize }, output.HiddenStates[0].shape);
        var noLogits = model.forward(new CausalLmInput(ids, ComputeLogits: false));
        Assert.Null(noLogits.Logits);
        var chunked = cat([model.LmHead(noLogits.LastHiddenState.narrow(1, 0, 10)), model.LmHead(noLogits.LastHiddenState.narrow(1, 10, 9))], 1);
        AssertClose(output.Logits!, chunked);
    }

    [Fact]
    public void Forward_WrongInputs_ThrowWithShapes()
    {
        using var scope = NewDisposeScope();
        var model = _models["tiny-llama"];
        var ids = Ids("tiny-llama");
        var ex = Assert.Throws<ArgumentException>(() => model.forward(new CausalLmInput(ids, AttentionMask: ones([2, 5], ScalarType.Bool))));
        Assert.Contains("(batch=2, past+T=19)", ex.Message);
        Assert.Throws<ArgumentException>(() => model.forward(new CausalLmInput(ids.to_type(ScalarType.Int32))));
        Assert.Throws<ArgumentException>(() => model.forward(new CausalLmInput(ids, AttentionMask: ones([2, 1, 19, 19], ScalarType.Float32))));
    }

    [Fact]
    public void AttentionMasks_PackedPositionIds_RestartPerSegment()
    {
        using var scope = NewDisposeScope();
        var segments = tensor(new long[] { 3, 3, 3, 7, 7, 3, 3, 9 }).unsqueeze(0);
        Assert.Equal(new long[] { 0, 1, 2, 0, 1, 0, 1, 0 }, AttentionMasks.PackedPositionIds(segments).data<long>().ToArray());
        var mask = AttentionMasks.BlockCausal(segments)[0, 0]; // (T, T)
        Assert.False(mask[5, 1].item<bool>()); // a repeated id in a later run is a different sample
        Assert.True(mask[6, 5].item<bool>());
        Assert.False(mask[3, 4].item<bool>()); // causal
    }

    private Tensor Ids(string fixture)
    {
        var rows = _models.References[fixture].InputIds;
        return tensor(rows.SelectMany(r => r).ToArray()).view(rows.Length, -1);
    }

    private static void AssertClose(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.shape, actual.shape);
        var diff = (expected - actual).abs().max().item<float>();
        Assert.True(diff < Tolerance, $"max abs diff {diff}");
    }

    /// <summary>Loads the fixtures once for the class.</summary>
    public sealed class Models : IDisposable
    {
        private readonly Dictionary<string, LlamaForCausalLM> _models = new()
        {
            ["tiny-llama"] = HfCheckpoint.Load(HfReference.Dir("tiny-llama")),
            ["tiny-qwen2"] = HfCheckpoint.Load(HfReference.Dir("tiny-qwen2")),
        };

        internal Dictionary<string, HfReference> References { get; } = new()
        {
            ["tiny-llama"] = HfReference.Load("tiny-llama"),
            ["tiny-qwen2"] = HfReference.Load("tiny-qwen2"),
        };

        public LlamaForCausalLM this[string name] => _models[name];

        public void Dispose()
        {
            foreach (var model in _models.Values)
            {
                model.Dispose();
            }
        }
    }
}
