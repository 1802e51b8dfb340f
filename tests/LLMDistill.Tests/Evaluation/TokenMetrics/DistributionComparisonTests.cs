using LLMDistill.Evaluation.TokenMetrics;

namespace LLMDistill.Tests.Evaluation.TokenMetrics;

public sealed class DistributionComparisonTests
{
    private static double[] Log(params double[] p) => p.Select(x => Math.Log(x)).ToArray();

    [Fact]
    public void Compare_TwoTokenCase_MatchesHandComputedDivergences()
    {
        // P = (1/2, 1/2), Q = (1/4, 3/4), M = (3/8, 5/8).
        var c = DistributionComparison.Compare(Log(0.5, 0.5), Log(0.25, 0.75), topK: 1, position: 3, sequenceLength: 10);
        Assert.Equal(0.5 * Math.Log(4.0 / 3), c.ForwardKl, 12);
        Assert.Equal((0.25 * Math.Log(0.5)) + (0.75 * Math.Log(1.5)), c.ReverseKl, 12);
        var klPm = 0.5 * Math.Log(16.0 / 15);
        var klQm = (0.25 * Math.Log(2.0 / 3)) + (0.75 * Math.Log(1.2));
        Assert.Equal(0.5 * (klPm + klQm), c.Jsd, 12);
        Assert.False(c.Top1Agrees);
        Assert.False(c.TopKAgrees);
        Assert.Equal(3, c.Position);
        Assert.Equal(10, c.SequenceLength);
    }

    [Fact]
    public void Compare_TopKLargerThanRank_Agrees()
    {
        // P's top token (index 2) is Q's third choice: agrees at k = 3, not at k = 2.
        var p = Log(0.1, 0.2, 0.7);
        var q = Log(0.5, 0.3, 0.2);
        Assert.False(DistributionComparison.Compare(p, q, 2, 0, 1).TopKAgrees);
        Assert.True(DistributionComparison.Compare(p, q, 3, 0, 1).TopKAgrees);
    }

    [Fact]
    public void Compare_IdenticalDistributions_HaveZeroDivergence()
    {
        var p = DistributionComparison.LogSoftmax([1f, 2f, 3f, -1f]);
        var c = DistributionComparison.Compare(p, p, 1, 0, 1);
        Assert.True(c.Top1Agrees);
        Assert.Equal(0, c.ForwardKl, 12);
        Assert.Equal(0, c.ReverseKl, 12);
        Assert.Equal(0, c.Jsd, 12);
    }

    [Fact]
    public void Compare_DisjointSupport_KlIsInfiniteAndJsdIsLn2()
    {
        var c = DistributionComparison.Compare([0, double.NegativeInfinity], [double.NegativeInfinity, 0], 1, 0, 1);
        Assert.True(double.IsPositiveInfinity(c.ForwardKl));
        Assert.True(double.IsPositiveInfinity(c.ReverseKl));
        Assert.Equal(Math.Log(2), c.Jsd, 12);
    }

    [Fact]
    public void LogSoftmax_LargeLogits_IsStableAndNormalised()
    {
        var lp = DistributionComparison.LogSoftmax([1000f, 1000f]);
        Assert.Equal(Math.Log(0.5), lp[0], 12);
        Assert.Equal(1.0, lp.Sum(x => Math.Exp(x)), 12);
    }

    [Fact]
    public void Compare_DifferentVocabularies_Throws()
        => Assert.Throws<ArgumentException>(() => DistributionComparison.Compare(Log(0.5, 0.5), Log(1.0), 1, 0, 1));
}
