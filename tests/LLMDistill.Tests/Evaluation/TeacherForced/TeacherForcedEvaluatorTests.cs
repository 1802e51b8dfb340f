using LLMDistill.Evaluation;
using LLMDistill.Evaluation.TeacherForced;
using LLMDistill.Evaluation.TokenMetrics;
using LLMDistill.Model;
using LLMDistill.Tests.Fixtures;

namespace LLMDistill.Tests.Evaluation.TeacherForced;

/// <summary>The TorchSharp token-level pass against the double-precision reference definitions, on two real models.</summary>
public sealed class TeacherForcedEvaluatorTests(ShakespeareModels models) : IClassFixture<ShakespeareModels>
{
    private static readonly TokenMetricsOptions Metrics = new() { TopK = 5 };

    [Fact]
    public void Run_ModelAgainstItself_KlIsZeroAndAgreementIsOne()
    {
        var sequences = Sequences(6);
        var result = Evaluator(batchSize: 4, budgetMiB: 256).Run(
            [new("a", models.Large), new("b", models.Large)], [new ModelPair(0, 1)], sequences, null, CancellationToken.None);

        var pair = Assert.Single(result.Agreement);
        Assert.Equal(sequences.Sum(s => s.ResponseLength), pair.Positions);
        Assert.Equal(1.0, pair.Top1Agreement);
        Assert.Equal(1.0, pair.TopKAgreement);
        Assert.Equal(0.0, pair.ForwardKl, 6);
        Assert.Equal(0.0, pair.ReverseKl, 6);
        Assert.Equal(0.0, pair.Jsd, 6);
        Assert.Equal(result.Perplexity[0].Perplexity, result.Perplexity[1].Perplexity, 9);
    }

    [Theory]
    [InlineData(16, 256)]   // one batch, one chunk per batch
    [InlineData(3, 1)]      // several batches, chunks of 10 positions (1 MiB / (2048 · 4 B · 12 tensors))
    public void Run_DifferentModels_EqualsDirectComputation(int batchSize, int budgetMiB)
    {
        var sequences = Sequences(7);
        var result = Evaluator(batchSize, budgetMiB).Run(
            [new("teacher", models.Large), new("student", models.Small)], [new ModelPair(0, 1)], sequences, null, CancellationToken.None);
        var expected = DirectComputation.Compute(models.Large, models.Small, sequences, Metrics);

        var pair = Assert.Single(result.Agreement);
        Assert.Equal(("teacher", "student"), (pair.Reference, pair.Compared));
        Assert.Equal(expected.Agreement.Positions, pair.Positions);
        Assert.Equal(expected.Agreement.Top1Agreement, pair.Top1Agreement, 12);
        Assert.Equal(expected.Agreement.TopKAgreement, pair.TopKAgreement, 12);
        Assert.True(expected.Agreement.ForwardKl > 0.05, "the two models should disagree measurably");
        Assert.Equal(expected.Agreement.ForwardKl, pair.ForwardKl, 4);
        Assert.Equal(expected.Agreement.ReverseKl, pair.ReverseKl, 4);
        Assert.Equal(expected.Agreement.Jsd, pair.Jsd, 4);
        Assert.Equal(
            expected.Agreement.ByPosition.Select(b => (b.Label, b.Positions, Math.Round(b.Top1Agreement, 9))),
            pair.ByPosition.Select(b => (b.Label, b.Positions, Math.Round(b.Top1Agreement, 9))));
        Assert.Equal(expected.Agreement.BySequenceLength.Select(b => (b.Label, b.Positions)), pair.BySequenceLength.Select(b => (b.Label, b.Positions)));
        Assert.Equal(expected.Agreement.ForwardKlHistogram.Total, pair.ForwardKlHistogram.Total);

        Assert.Equal(expected.ReferencePerplexity.MeanNll, result.Perplexity[0].MeanNll, 4);
        Assert.Equal(expected.ComparedPerplexity.MeanNll, result.Perplexity[1].MeanNll, 4);
        Assert.Equal(expected.ComparedPerplexity.Tokens, result.Perplexity[1].Tokens);
        Assert.Equal(expected.ComparedCalibration.Accuracy, result.Calibration[1].Accuracy, 12);
        Assert.Equal(expected.ComparedCalibration.Ece, result.Calibration[1].Ece, 4);
    }

    [Fact]
    public void Run_ThreeModels_ComparesOnlyTheRequestedPairsInOrder()
    {
        var sequences = Sequences(3);
        var result = Evaluator(8, 64).Run(
            [new("s", models.Small), new("t1", models.Large), new("t2", models.Small)], [new ModelPair(1, 0), new ModelPair(1, 2)], sequences, null, CancellationToken.None);

        Assert.Equal(["s", "t1", "t2"], result.Perplexity.Select(p => p.Model));
        Assert.Equal([("t1", "s"), ("t1", "t2")], result.Agreement.Select(a => (a.Reference, a.Compared)));
        Assert.Equal(result.Agreement[0].ForwardKl, result.Agreement[1].ForwardKl, 9); // s and t2 are the same model
    }

    [Fact]
    public void Run_ReportsProgressAndHonoursCancellation()
    {
        var sequences = Sequences(5);
        var seen = new List<int>();
        Evaluator(2, 64).Run([new("a", models.Small)], [], sequences, new SyncProgress(seen.Add), CancellationToken.None);
        Assert.Equal([2, 4, 5], seen);

        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() => Evaluator(2, 64).Run([new("a", models.Small)], [], sequences, null, cancelled.Token));
    }

    [Fact]
    public void Run_VocabularyMismatch_FailsNamingBothModels()
    {
        using var other = new LlamaForCausalLM(new LlamaConfig
        {
            VocabSize = 100, HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 1, NumAttentionHeads = 2, NumKeyValueHeads = 2, HeadDim = 16,
        });
        var ex = Assert.Throws<ArgumentException>(() => Evaluator(4, 64).Run(
            [new("teacher", models.Large), new("tiny", other)], [new ModelPair(0, 1)], Sequences(1), null, CancellationToken.None));
        Assert.Contains("'tiny' has a vocabulary of 100 but 'teacher' has 2048", ex.Message);
    }

    [Theory]
    [InlineData(new[] { 5, 6 }, 2, "needs at least one prompt and one response token")]
    [InlineData(new[] { 5, 6 }, 0, "needs at least one prompt and one response token")]
    [InlineData(new[] { 5, 4096 }, 1, "id 4096 at position 1 is outside the vocabulary [0, 2048)")]
    public void Run_MalformedSequence_FailsNamingIt(int[] ids, int promptLength, string expected)
    {
        var ex = Assert.Throws<ArgumentException>(() => Evaluator(4, 64).Run(
            [new("a", models.Small)], [], [.. Sequences(1), new TokenizedSequence(ids, promptLength)], null, CancellationToken.None));
        Assert.Contains("sequence 1: " + expected, ex.Message);
    }

    [Fact]
    public void ChunkRows_KeepsTheVocabularyTensorsWithinTheBudget()
    {
        var evaluator = new TeacherForcedEvaluator(new EvalOptions { LogitsBudgetMiB = 64 }, Metrics);
        var rows = evaluator.ChunkRows(vocab: 128_256, models: 3, pairs: 2);
        Assert.InRange((long)rows * 128_256 * sizeof(float) * ((3 * 2) + 8), 1, 64L * 1024 * 1024);
        Assert.Equal(1, evaluator.ChunkRows(vocab: 50_000_000, models: 2, pairs: 1)); // never zero rows
    }

    private static TeacherForcedEvaluator Evaluator(int batchSize, int budgetMiB)
        => new(new EvalOptions { BatchSize = batchSize, LogitsBudgetMiB = budgetMiB }, Metrics);

    /// <summary>Consecutive held-out lines of Shakespeare of different lengths, with prompts of 1 to 4 tokens.</summary>
    private List<TokenizedSequence> Sequences(int count)
    {
        var lines = File.ReadLines(SharedPaths.Data("tinyshakespeare.txt")).Skip(36_000).Where(l => l.Length > 0).ToArray();
        var result = new List<TokenizedSequence>();
        for (var i = 0; result.Count < count; i++)
        {
            var text = string.Join("\n", lines.Skip(i * 3).Take(1 + (i % 4)));
            var ids = models.Tokenizer.Encode(text);
            if (ids.Count >= 6)
            {
                result.Add(new TokenizedSequence(ids, 1 + (i % 4)));
            }
        }

        return result;
    }

    private sealed class SyncProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
