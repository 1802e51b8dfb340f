using LLMDistill.Configuration;
using LLMDistill.Pipeline;
using LLMDistill.Tests.Checkpoints;
using static LLMDistill.Tests.Pipeline.PipelineSamples;

namespace LLMDistill.Tests.Pipeline;

public sealed class DatasetSplitterTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task SplitAsync_HundredSamples_HeldOutIsDisjointAndSubsetsAreEqualHalves()
    {
        var dataset = WriteDataset(_dir.File("ds"), Enumerable.Range(0, 100).Select(i => Sample(i, combined: i / 100.0)));

        var splits = await DatasetSplitter.SplitAsync(dataset, _dir.File("splits"), new RunOptions { HeldOutFraction = 0.1, SubsetFraction = 0.5 }, CancellationToken.None);

        var held = await ReadAsync(splits.HeldOut.Directory);
        var train = await ReadAsync(splits.Train.Directory);
        var filtered = await ReadAsync(splits.Filtered!.Directory);
        var random = await ReadAsync(splits.Random!.Directory);
        Assert.Equal((10, 90, 45, 45), (held.Count, train.Count, filtered.Count, random.Count));
        Assert.Empty(held.Select(s => s.Id).Intersect(train.Select(s => s.Id)));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"id-{i:D4}"), held.Concat(train).Select(s => s.Id).Order(StringComparer.Ordinal));
        Assert.Subset(train.Select(s => s.Id).ToHashSet(), filtered.Select(s => s.Id).ToHashSet());
        Assert.Subset(train.Select(s => s.Id).ToHashSet(), random.Select(s => s.Id).ToHashSet());
        Assert.Equal(splits.Filtered.Samples, filtered.Count);
    }

    [Fact]
    public async Task SplitAsync_Combined_FilteredHoldsTheHighestScoresInDatasetOrder()
    {
        var dataset = WriteDataset(_dir.File("ds"), Enumerable.Range(0, 40).Select(i => Sample(i, combined: (i * 7 % 40) / 40.0)));

        var splits = await DatasetSplitter.SplitAsync(dataset, _dir.File("splits"), new RunOptions { HeldOutFraction = 0.1 }, CancellationToken.None);

        var train = await ReadAsync(splits.Train.Directory);
        var filtered = await ReadAsync(splits.Filtered!.Directory);
        var threshold = train.Select(s => s.Scores!.Combined).OrderDescending().ElementAt(filtered.Count - 1);
        Assert.All(filtered, s => Assert.True(s.Scores!.Combined >= threshold));
        Assert.Equal(filtered.Select(s => s.Id).Order(StringComparer.Ordinal), filtered.Select(s => s.Id)); // ids ascend with dataset order here
        Assert.True(splits.Filtered.MeanCombined > splits.Random!.MeanCombined);
    }

    [Fact]
    public async Task SplitAsync_SameInputTwice_WritesIdenticalSubsets_AndTheSeedChangesThem()
    {
        var dataset = WriteDataset(_dir.File("ds"), Enumerable.Range(0, 60).Select(i => Sample(i, combined: 0.5)));

        var a = await DatasetSplitter.SplitAsync(dataset, _dir.File("a"), new RunOptions(), CancellationToken.None);
        var b = await DatasetSplitter.SplitAsync(dataset, _dir.File("b"), new RunOptions(), CancellationToken.None);
        var c = await DatasetSplitter.SplitAsync(dataset, _dir.File("c"), new RunOptions { Seed = 7 }, CancellationToken.None);

        foreach (var (x, y) in a.All.Zip(b.All))
        {
            Assert.Equal(await File.ReadAllTextAsync(Shard(x.Directory)), await File.ReadAllTextAsync(Shard(y.Directory)));
        }

        Assert.NotEqual(await File.ReadAllTextAsync(Shard(a.HeldOut.Directory)), await File.ReadAllTextAsync(Shard(c.HeldOut.Directory)));
        Assert.NotEqual(await File.ReadAllTextAsync(Shard(a.Random!.Directory)), await File.ReadAllTextAsync(Shard(c.Random!.Directory)));
    }

    [Fact]
    public async Task SplitAsync_WithoutComparison_WritesOnlyHeldOutAndTrain_ReplacingAnOldSplit()
    {
        var dataset = WriteDataset(_dir.File("ds"), Enumerable.Range(0, 20).Select(i => Sample(i, combined: 0.5)));
        var output = _dir.File("splits");
        await DatasetSplitter.SplitAsync(dataset, output, new RunOptions { Compare = true, SelectBy = SelectionSignal.Format }, CancellationToken.None);

        var splits = await DatasetSplitter.SplitAsync(dataset, output, new RunOptions { Compare = false }, CancellationToken.None);

        Assert.Null(splits.Filtered);
        Assert.Null(splits.Random);
        Assert.Equal(["heldout", "train"], Directory.GetDirectories(output).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task SplitAsync_SignalMissingFromEverySample_FailsNamingRunSelectBy()
    {
        var dataset = WriteDataset(_dir.File("ds"), Enumerable.Range(0, 10).Select(i => Sample(i, combined: 0.5)));

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(
            () => DatasetSplitter.SplitAsync(dataset, _dir.File("splits"), new RunOptions { SelectBy = SelectionSignal.Judge }, CancellationToken.None));

        Assert.StartsWith("Run:SelectBy: no sample has a judge score", ex.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir.File("splits")));
    }

    [Fact]
    public async Task SplitAsync_TwoSamples_FailsSayingHowToGetMore()
    {
        var dataset = WriteDataset(_dir.File("ds"), Enumerable.Range(0, 2).Select(i => Sample(i)));

        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => DatasetSplitter.SplitAsync(dataset, _dir.File("splits"), new RunOptions(), CancellationToken.None));

        Assert.Contains("holds 2 sample(s)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Generate:TargetSamples", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SelectionSignal.Combined, 0.9)]
    [InlineData(SelectionSignal.Perplexity, 12.5)]
    [InlineData(SelectionSignal.Format, 1.0)]
    [InlineData(SelectionSignal.Judge, null)]
    public void SignalOf_ReadsThePartOfTheScores(SelectionSignal signal, double? expected)
        => Assert.Equal(expected, DatasetSplitter.SignalOf(Sample(1, combined: 0.9, perplexity: 12.5), signal));

    private static string Shard(string directory) => Path.Combine(directory, "samples-00000.jsonl");
}
