using LLMDistill.Evaluation.TokenMetrics;

namespace LLMDistill.Tests.Evaluation.TokenMetrics;

public sealed class SparseDistributionComparisonTests
{
    [Fact]
    public void Compare_TopTwoOfThree_EqualsKlOverListedTokensPlusTailBucket()
    {
        // P lists tokens 2 (0.6) and 0 (0.3): tail 0.1. Q = (0.2, 0.5, 0.3): listed (0.3, 0.2), tail 0.5.
        var q = new[] { 0.2, 0.5, 0.3 }.Select(x => Math.Log(x)).ToArray();
        var c = SparseDistributionComparison.Compare([(2, Math.Log(0.6)), (0, Math.Log(0.3))], q, topK: 2, position: 0, sequenceLength: 4);
        var expected = (0.6 * Math.Log(0.6 / 0.3)) + (0.3 * Math.Log(0.3 / 0.2)) + (0.1 * Math.Log(0.1 / 0.5));
        Assert.Equal(expected, c.ForwardKl, 12);
        Assert.False(c.Top1Agrees);
        Assert.True(c.TopKAgrees);
    }

    [Fact]
    public void Compare_FullSupportListed_EqualsDenseComparison()
    {
        var p = new[] { 0.1, 0.7, 0.2 }.Select(x => Math.Log(x)).ToArray();
        var q = new[] { 0.3, 0.4, 0.3 }.Select(x => Math.Log(x)).ToArray();
        var dense = DistributionComparison.Compare(p, q, 1, 0, 1);
        var sparse = SparseDistributionComparison.Compare([(1, p[1]), (0, p[0]), (2, p[2])], q, 1, 0, 1);
        Assert.Equal(dense.ForwardKl, sparse.ForwardKl, 9);
        Assert.Equal(dense.Jsd, sparse.Jsd, 9);
        Assert.True(sparse.Top1Agrees);
    }

    [Fact]
    public void Compare_BadIds_Throw()
    {
        var q = new[] { Math.Log(0.5), Math.Log(0.5) };
        Assert.Throws<ArgumentException>(() => SparseDistributionComparison.Compare([(5, -1.0)], q, 1, 0, 1));
        Assert.Throws<ArgumentException>(() => SparseDistributionComparison.Compare([(0, -1.0), (0, -2.0)], q, 1, 0, 1));
        Assert.Throws<ArgumentException>(() => SparseDistributionComparison.Compare([(0, Math.Log(0.9)), (1, Math.Log(0.9))], q, 1, 0, 1));
    }
}
