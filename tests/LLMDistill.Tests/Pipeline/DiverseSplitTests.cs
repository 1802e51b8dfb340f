using LLMDistill.Pipeline;
using LLMDistill.Tests.Checkpoints;
using static LLMDistill.Tests.Pipeline.PipelineSamples;

namespace LLMDistill.Tests.Pipeline;

public sealed class DiverseSplitTests : IDisposable
{
    private static readonly string[] Words = ["crown", "sword", "night", "rose", "storm", "ghost", "letter", "ring", "wine", "field", "tower", "horse", "bell", "cloak", "river", "moon", "grave", "feast", "ship", "oath"];

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task SplitAsync_DiverseCombined_TakesOneOfTheBestScoredCopiesThenTheBestDistinctSamples()
    {
        // 24 copies of one speech score highest, 36 distinct speeches lower: the plain top half is copies, the diverse half one copy and the distinct ones.
        var samples = Enumerable.Range(0, 60).Select(i => i < 24
            ? Sample(i, combined: 0.9 + (i / 1000.0)) with { Response = "my kingdom for a horse" }
            : Sample(i, combined: 0.5 + (i / 1000.0)) with { Response = Distinct(i - 24) }).ToList();
        var dataset = WriteDataset(_dir.File("ds"), samples);

        var plain = await DatasetSplitter.SplitAsync(dataset, _dir.File("plain"), new RunOptions { SelectBy = SelectionSignal.Combined }, CancellationToken.None);
        var diverse = await DatasetSplitter.SplitAsync(dataset, _dir.File("diverse"), new RunOptions { SelectBy = SelectionSignal.DiverseCombined }, CancellationToken.None);

        var plainHalf = await ReadAsync(plain.Filtered!.Directory);
        var diverseHalf = await ReadAsync(diverse.Filtered!.Directory);
        var train = await ReadAsync(diverse.Train.Directory);
        var copies = train.Count(s => s.Response == "my kingdom for a horse");
        Assert.Equal(plainHalf.Count, diverseHalf.Count);
        Assert.Equal(Math.Min(copies, plainHalf.Count), plainHalf.Count(s => s.Response == "my kingdom for a horse"));
        Assert.Equal(1, diverseHalf.Count(s => s.Response == "my kingdom for a horse"));
        Assert.Equal(diverseHalf.Count, diverseHalf.Select(s => s.Response).Distinct().Count());
        Assert.Null(plain.MinDistance);
        Assert.InRange(diverse.MinDistance!.Value, 0.01, 1);
        Assert.Equal(train.Where(s => diverseHalf.Any(d => d.Id == s.Id)).Select(s => s.Id), diverseHalf.Select(s => s.Id)); // dataset order
    }

    [Fact]
    public async Task SplitAsync_DiverseWithoutScores_OneCopyAndTheDistinctSamples()
    {
        // No sample has a score (Diverse ranks by none): 24 copies and 36 distinct speeches, a half of 27 of the 54 in training.
        var samples = Enumerable.Range(0, 60).Select(i => Sample(i) with { Response = i < 24 ? "my kingdom for a horse" : Distinct(i - 24) }).ToList();
        var dataset = WriteDataset(_dir.File("ds"), samples);

        var splits = await DatasetSplitter.SplitAsync(dataset, _dir.File("splits"), new RunOptions { SelectBy = SelectionSignal.Diverse }, CancellationToken.None);

        var half = await ReadAsync(splits.Filtered!.Directory);
        Assert.Equal(27, half.Count);
        Assert.Equal(1, half.Count(s => s.Response == "my kingdom for a horse"));
        Assert.Equal(half.Count, half.Select(s => s.Response).Distinct().Count());
        Assert.NotNull(splits.MinDistance);
    }

    [Fact]
    public async Task SplitAsync_DiverseCombined_SameDatasetAndSeed_SameHalf()
    {
        var dataset = WriteDataset(_dir.File("ds"), Enumerable.Range(0, 60).Select(i => Sample(i, combined: (i % 7) / 7.0) with { Response = $"the {Words[i % 20]} and the {Words[(i * 3) % 20]}" }));
        var options = new RunOptions { SelectBy = SelectionSignal.DiverseCombined };

        var a = await DatasetSplitter.SplitAsync(dataset, _dir.File("a"), options, CancellationToken.None);
        var b = await DatasetSplitter.SplitAsync(dataset, _dir.File("b"), options, CancellationToken.None);

        Assert.Equal((await ReadAsync(a.Filtered!.Directory)).Select(s => s.Id), (await ReadAsync(b.Filtered!.Directory)).Select(s => s.Id));
        Assert.Equal(a.MinDistance, b.MinDistance);
    }

    [Fact]
    public void RandomSubset_IndependentOfPoolOrder_AndSeeded()
    {
        var pool = Enumerable.Range(0, 50).Select(i => Sample(i)).ToList();

        var a = DatasetSplitter.RandomSubset(pool, 20, 3).Select(s => s.Id).Order(StringComparer.Ordinal);
        var reversed = DatasetSplitter.RandomSubset(Enumerable.Reverse(pool).ToList(), 20, 3).Select(s => s.Id).Order(StringComparer.Ordinal);
        var other = DatasetSplitter.RandomSubset(pool, 20, 4).Select(s => s.Id).Order(StringComparer.Ordinal);

        Assert.Equal(a, reversed);
        Assert.NotEqual(a, other);
        Assert.Equal(20, a.Count());
    }

    [Theory]
    [InlineData(SelectionSignal.Combined, false)]
    [InlineData(SelectionSignal.DiverseCombined, true)]
    [InlineData(SelectionSignal.Diverse, true)]
    public void SplitHash_DiversityChanged_ChangesOnlyForTheDiverseSelections(SelectionSignal signal, bool changes)
    {
        var before = JobHashes.Split("generate", new RunOptions { SelectBy = signal });
        var after = JobHashes.Split("generate", new RunOptions { SelectBy = signal, Diversity = { NGram = 3 } });

        Assert.Equal(changes, before != after);
        Assert.Equal(before, JobHashes.Split("generate", new RunOptions { SelectBy = signal }));
    }

    [Theory]
    [InlineData(SelectionSignal.Combined, "highest-combined", "highest combined first")]
    [InlineData(SelectionSignal.Ifd, "highest-ifd", "highest ifd first")]
    [InlineData(SelectionSignal.DiverseCombined, "diverse highest-combined", "highest combined first, each far enough from those chosen")]
    [InlineData(SelectionSignal.Diverse, "diverse (coverage)", "seeded random order, each far enough from those chosen")]
    public void SelectionSignalNames_NameTheSubset(SelectionSignal signal, string subset, string rule)
    {
        Assert.Equal(subset, signal.Subset());
        Assert.Equal(rule, signal.Rule());
        Assert.Equal(0.9, DatasetSplitter.SignalOf(Sample(1, combined: 0.9), SelectionSignal.DiverseCombined));
    }

    // 36 different word pairs: (k, k + 1) for k < 20, then (k, k + 6).
    private static string Distinct(int i) => $"the {Words[i % 20]} of the {Words[((i % 20) + (i < 20 ? 1 : 6)) % 20]}";
}
