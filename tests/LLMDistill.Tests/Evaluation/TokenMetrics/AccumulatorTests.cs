using LLMDistill.Evaluation.TokenMetrics;

namespace LLMDistill.Tests.Evaluation.TokenMetrics;

public sealed class AccumulatorTests
{
    [Fact]
    public void TokenAgreement_HandMadePositions_AggregatesRatesMeansAndBuckets()
    {
        var acc = new TokenAgreementAccumulator("teacher", "student", new TokenMetricsOptions { TopK = 3, KlHistogramMax = 2, KlHistogramBins = 4 });
        acc.Add(new PositionComparison(0, 20, true, true, 0.2, 0.1, 0.05));
        acc.Add(new PositionComparison(1, 20, false, true, 0.6, 0.3, 0.10));
        acc.Add(new PositionComparison(2, 20, false, false, 1.0, 0.5, 0.15));
        acc.Add(new PositionComparison(3, 4, true, true, 3.0, 1.1, 0.20));
        acc.Add(new PositionComparison(2, 4, true, true, double.PositiveInfinity, 2.0, 0.6));
        var m = acc.ToMetrics();

        Assert.Equal(5, m.Positions);
        Assert.Equal(3, m.TopK);
        Assert.Equal(3.0 / 5, m.Top1Agreement, 12);
        Assert.Equal(4.0 / 5, m.TopKAgreement, 12);
        Assert.Equal(1, m.NonFinitePositions);
        Assert.Equal((0.2 + 0.6 + 1.0 + 3.0) / 4, m.ForwardKl, 12);
        Assert.Equal((0.1 + 0.3 + 0.5 + 1.1) / 4, m.ReverseKl, 12);
        Assert.Equal((0.05 + 0.10 + 0.15 + 0.20) / 4, m.Jsd, 12);

        // Position buckets 0, 1, 2–3: position 2 twice and 3 once.
        Assert.Equal(["0", "1", "2–3"], m.ByPosition.Select(b => b.Label));
        Assert.Equal(3, m.ByPosition[2].Positions);
        Assert.Equal(2.0 / 3, m.ByPosition[2].Top1Agreement, 12);
        Assert.Equal((1.0 + 3.0) / 2, m.ByPosition[2].MeanForwardKl, 12);

        // Length buckets: 4 -> "1–15", 20 -> "16–31".
        Assert.Equal(["1–15", "16–31"], m.BySequenceLength.Select(b => b.Label));
        Assert.Equal(1.0 / 3, m.BySequenceLength[1].Top1Agreement, 12);

        // Histogram [0, 2) in 4 bins: 0.2 -> 0, 0.6 -> 1, 1.0 -> 2, 3.0 -> overflow.
        Assert.Equal([1L, 1, 1, 0], m.ForwardKlHistogram.Counts);
        Assert.Equal(1, m.ForwardKlHistogram.Overflow);
        Assert.Equal([0, 0.5, 1.0, 1.5, 2.0], m.ForwardKlHistogram.Edges);
    }

    [Fact]
    public void TokenAgreement_MergeOfHalves_EqualsOneAccumulator()
    {
        var random = new Random(7);
        var items = Enumerable.Range(0, 1000).Select(i => new PositionComparison(i % 300, 300 + (i % 7), random.NextDouble() < 0.6, random.NextDouble() < 0.9, random.NextDouble(), random.NextDouble(), random.NextDouble() * 0.3)).ToArray();
        var whole = new TokenAgreementAccumulator("t", "s");
        var first = new TokenAgreementAccumulator("t", "s");
        var second = new TokenAgreementAccumulator("t", "s");
        for (var i = 0; i < items.Length; i++)
        {
            whole.Add(items[i]);
            (i % 2 == 0 ? first : second).Add(items[i]);
        }

        first.Merge(second);
        var a = whole.ToMetrics();
        var b = first.ToMetrics();
        Assert.Equal(a.Top1Agreement, b.Top1Agreement, 12);
        Assert.Equal(a.ForwardKl, b.ForwardKl, 12);
        Assert.Equal(a.ByPosition.Select(x => x.Positions), b.ByPosition.Select(x => x.Positions));
        Assert.Equal(a.ForwardKlHistogram.Counts, b.ForwardKlHistogram.Counts);
        Assert.Throws<ArgumentException>(() => first.Merge(new TokenAgreementAccumulator("t", "other")));
    }

    [Fact]
    public void TokenAgreement_PositionOutsideSequence_Throws()
        => Assert.Throws<ArgumentOutOfRangeException>(() => new TokenAgreementAccumulator("t", "s").Add(new PositionComparison(5, 5, true, true, 0, 0, 0)));

    [Fact]
    public void Perplexity_SummedNllOverGroups_IsTokenWeighted()
    {
        var acc = new PerplexityAccumulator("student");
        acc.Add(3 * Math.Log(4), 3);
        acc.Add(2 * Math.Log(2), 2);
        var m = acc.ToMetrics();
        Assert.Equal(5, m.Tokens);
        Assert.Equal(8 * Math.Log(2) / 5, m.MeanNll, 12);
        Assert.Equal(Math.Pow(2, 8.0 / 5), m.Perplexity, 10);
        Assert.Equal(8.0 / 5, m.BitsPerToken, 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => acc.Add(double.NaN, 1));
    }

    [Fact]
    public void Calibration_HandComputed_EceAndMce()
    {
        var acc = new CalibrationAccumulator("student");
        acc.Add(0.95, true);
        acc.Add(0.95, false);
        acc.Add(0.5, true);
        acc.Add(0.22, false);
        var m = acc.ToMetrics();

        // Bins of 1/15: 0.95 -> bin 14 (acc .5, conf .95), 0.5 -> bin 7 (1 vs .5), 0.22 -> bin 3 (0 vs .22).
        Assert.Equal((0.5 * 0.45) + (0.25 * 0.5) + (0.25 * 0.22), m.Ece, 12);
        Assert.Equal(0.5, m.Mce, 12);
        Assert.Equal(15, m.Bins.Count);
        Assert.Equal(2, m.Bins[14].Count);
        Assert.Equal(0.5, m.Bins[14].Accuracy);
        Assert.Equal(1, m.Bins[3].Count);
        Assert.Null(m.Bins[0].Accuracy);
        Assert.Equal(0.5, m.Accuracy, 12);
    }

    [Fact]
    public void Calibration_EdgeConfidences_LandInFirstAndLastBins()
    {
        var acc = new CalibrationAccumulator("m", 10);
        acc.Add(0, false);
        acc.Add(1, true);
        var m = acc.ToMetrics();
        Assert.Equal(1, m.Bins[0].Count);
        Assert.Equal(1, m.Bins[9].Count);
        Assert.Equal(0, m.Ece, 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => acc.Add(1.5, true));
    }

    [Fact]
    public void AgreementMatrix_Pairs_FillSymmetricCellsWithUnitDiagonal()
    {
        static TokenAgreementMetrics Pair(string r, string c, double top1)
            => new(r, c, 10, 5, top1, 1, 0, 0, 0, 0, [], [], Histogram.Of([], 0, 1, 2));

        var matrix = AgreementMatrix.From(["t1", "t2", "student", "t3"], [Pair("t1", "student", 0.6), Pair("t2", "student", 0.5), Pair("t1", "t2", 0.8)]);
        Assert.Equal(1.0, matrix.Top1[0][0]);
        Assert.Equal(0.8, matrix.Top1[0][1]);
        Assert.Equal(0.8, matrix.Top1[1][0]);
        Assert.Equal(0.6, matrix.Top1[2][0]);
        Assert.Equal(0.5, matrix.Top1[1][2]);
        Assert.Null(matrix.Top1[3][0]);
        Assert.Throws<ArgumentException>(() => AgreementMatrix.From(["t1"], [Pair("t1", "x", 0.1)]));
    }

    [Fact]
    public void BucketScheme_PowersOfTwo_LabelsAndIndexes()
    {
        var scheme = BucketScheme.Positions;
        Assert.Equal(0, scheme.IndexOf(0));
        Assert.Equal(3, scheme.IndexOf(7));
        Assert.Equal("4–7", scheme.Label(3));
        Assert.Equal("4096+", scheme.Label(scheme.IndexOf(100_000)));
        Assert.Throws<ArgumentException>(() => new BucketScheme([0, 4, 4]));
    }

    [Fact]
    public void Options_BadBucketEdges_FailValidationNamingTheKey()
    {
        var options = new TokenMetricsOptions { LengthBucketEdges = [8, 4] };
        var ex = Assert.Throws<LLMDistill.Configuration.OptionsValidationException>(() => LLMDistill.Configuration.OptionsBinder.Validate(options, TokenMetricsOptions.SectionName));
        Assert.Contains("Eval:TokenMetrics:LengthBucketEdges", ex.Message);
    }

    [Fact]
    public void TokenAgreement_HundredThousandPositions_StreamsQuickly()
    {
        var acc = new TokenAgreementAccumulator("t", "s");
        for (var i = 0; i < 100_000; i++)
        {
            acc.Add(new PositionComparison(i % 512, 512, i % 3 == 0, i % 2 == 0, 0.5, 0.4, 0.1));
        }

        var m = acc.ToMetrics();
        Assert.Equal(100_000, m.Positions);
        Assert.Equal(0.5, m.ForwardKl, 9);
        Assert.Equal(100_000, m.ForwardKlHistogram.Total);
    }
}
