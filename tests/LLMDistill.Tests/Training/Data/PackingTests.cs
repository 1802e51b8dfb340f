using LLMDistill.Losses;
using LLMDistill.Model;
using LLMDistill.Training.Data;
using LLMDistill.Training.Distillation;
using LLMDistill.Training.Options;
using static TorchSharp.torch;

namespace LLMDistill.Tests.Training.Data;

public sealed class PackingTests
{
    private static readonly TrainingExample[] Examples =
    [
        new([5, 9, 14, 3, 22, 7, 1], PromptLength: 3),
        new([8, 8, 31, 2, 40], PromptLength: 1),
        new([17, 4, 6, 12, 33, 21, 19, 2], PromptLength: 4),
    ];

    [Fact]
    public void Forward_PackedRow_EqualsEachSampleAlone()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var model = TinyModel();
        var batch = BatchBuilder.Build([Examples], padId: 0, topKSlots: 0, CPU); // one row, three samples

        var packed = model.forward(new CausalLmInput(batch.InputIds, batch.PositionIds, batch.AttentionMask)).Logits!; // (1, 20, V)

        var offset = 0;
        foreach (var example in Examples)
        {
            var alone = model.forward(new CausalLmInput(tensor(example.Ids.Select(i => (long)i).ToArray(), [1, example.Length]))).Logits!;
            var slice = packed.narrow(1, offset, example.Length);
            Assert.True(slice.allclose(alone, rtol: 0, atol: 1e-5), $"sample at {offset}: max diff {(slice - alone).abs().max().item<float>()}");
            offset += example.Length;
        }
    }

    [Fact]
    public void Loss_PackedAndPadded_AreEqual()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var model = TinyModel();
        var computer = new DistillationLossComputer(model, teacher: null, TargetSource.None, hidden: null, hiddenWeight: 0, chunkSize: 4);
        var objective = new DistillationObjective([new LossTerm(DistillationLossKind.CrossEntropy, 1)]);
        var packed = BatchBuilder.Build(SequencePacker.Pack(Examples, [0, 1, 2], 32, RowLayout.Packed), 0, 0, CPU);
        var padded = BatchBuilder.Build(SequencePacker.Pack(Examples, [0, 1, 2], 32, RowLayout.Padded), 0, 0, CPU);

        var a = computer.Compute(packed, objective);
        var b = computer.Compute(padded, objective);

        Assert.Equal((1L, 3L), (packed.InputIds.shape[0], padded.InputIds.shape[0]));
        Assert.Null(padded.AttentionMask); // right padding needs no mask: a real token never looks ahead
        Assert.Equal(Examples.Sum(e => e.TargetCount), a.Targets);
        Assert.Equal(a.Total.item<float>(), b.Total.item<float>(), 1e-5f);
    }

    [Fact]
    public void Pack_Packed_FillsRowsGreedilyInOrder()
    {
        TrainingExample[] examples = [Of(5), Of(4), Of(3), Of(6), Of(10)];

        var rows = SequencePacker.Pack(examples, [0, 1, 2, 3, 4], rowLength: 10, RowLayout.Packed);
        var padded = SequencePacker.Pack(examples, [4, 0], rowLength: 10, RowLayout.Padded);

        Assert.Equal([[5, 4], [3, 6], [10]], rows.Select(r => r.Select(e => e.Length).ToArray()));
        Assert.Equal([[10], [5]], padded.Select(r => r.Select(e => e.Length).ToArray()));
    }

    [Fact]
    public void TextBlocks_OverlapByOneToken_PredictEveryTokenAfterTheFirstOnce()
    {
        var tokens = Enumerable.Range(100, 95).ToArray();

        var blocks = CorpusLoader.TextBlocks(tokens, 0, tokens.Length, length: 10);

        var predicted = blocks.SelectMany(b => b.Ids.Skip(b.FirstTarget)).ToArray();
        Assert.Equal(tokens.Skip(1), predicted);
        Assert.All(blocks, b => Assert.True(b.Length <= 10));
    }

    [Fact]
    public void DataCursor_SeekToASavedPosition_ContinuesWithTheSameBatches()
    {
        var examples = Enumerable.Range(0, 13).Select(i => Of(2 + (i % 5), first: i)).ToArray();
        var cursor = new DataCursor(examples, seed: 11, rowLength: 8, batchSize: 2, RowLayout.Packed);
        var reference = Enumerable.Range(0, 20).Select(_ => Ids(cursor.Next())).ToList();

        var probe = new DataCursor(examples, seed: 11, rowLength: 8, batchSize: 2, RowLayout.Packed);
        for (var i = 0; i < 7; i++)
        {
            probe.Next();
        }

        var resumed = new DataCursor(examples, seed: 11, rowLength: 8, batchSize: 2, RowLayout.Packed);
        resumed.Seek(probe.Epoch, probe.Batch);

        Assert.Equal(reference.Skip(7), Enumerable.Range(0, 13).Select(_ => Ids(resumed.Next())));
        Assert.True(probe.BatchesPerEpoch < 7, "the probe crosses an epoch boundary");
        Assert.NotEqual(reference.Take(probe.BatchesPerEpoch), reference.Skip(probe.BatchesPerEpoch).Take(probe.BatchesPerEpoch)); // epochs reshuffle
    }

    private static TrainingExample Of(int length, int first = 1) => new(Enumerable.Range(first, length).ToArray(), PromptLength: 1);

    private static string Ids(TrainingExample[][] batch) => string.Join("|", batch.Select(r => string.Join(";", r.Select(e => string.Join(",", e.Ids)))));

    private static LlamaForCausalLM TinyModel()
    {
        var config = new LlamaConfig
        {
            VocabSize = 48, HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 2, NumAttentionHeads = 4, NumKeyValueHeads = 2, HeadDim = 8,
        };
        var model = new LlamaForCausalLM(config);
        model.InitializeWeights(3);
        model.eval();
        return model;
    }
}
