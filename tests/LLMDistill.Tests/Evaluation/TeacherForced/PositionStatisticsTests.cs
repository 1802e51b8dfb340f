using LLMDistill.Evaluation.TeacherForced;
using LLMDistill.Evaluation.TokenMetrics;
using static TorchSharp.torch;

namespace LLMDistill.Tests.Evaluation.TeacherForced;

/// <summary>The per-position columns on hand-made distributions, against <see cref="DistributionComparison"/>.</summary>
public sealed class PositionStatisticsTests
{
    [Theory]
    [InlineData(new[] { 2f, 1f, 0f, -1f }, new[] { 0f, 1f, 2f, -1f }, 2)]                       // disagreeing tops
    [InlineData(new[] { 3f, 1f, 0.5f, 0f }, new[] { 2.5f, 1.5f, 0f, 0f }, 1)]                   // agreeing tops
    [InlineData(new[] { 1f, float.NegativeInfinity, 0f, 0f }, new[] { 1f, 0f, 0f, 0f }, 2)]      // P gives a token zero mass: KL(Q‖P) = ∞
    [InlineData(new[] { 1f, float.NegativeInfinity, 0f, 0f }, new[] { 0f, float.NegativeInfinity, 1f, 0f }, 3)] // both mask it
    public void Compute_HandMadeRow_MatchesTheReferenceDefinition(float[] logitsP, float[] logitsQ, int label)
    {
        using var scope = NewDisposeScope();
        var lp = tensor(logitsP).unsqueeze(0).log_softmax(-1);
        var lq = tensor(logitsQ).unsqueeze(0).log_softmax(-1);

        var row = PositionStatistics.Compute([lp, lq], tensor(new long[] { label }), [new ModelPair(0, 1)], topK: 2).data<float>().ToArray();

        var refP = DistributionComparison.LogSoftmax(logitsP);
        var refQ = DistributionComparison.LogSoftmax(logitsQ);
        var expected = DistributionComparison.Compare(refP, refQ, 2, 0, 1);
        Assert.Equal(-refP[label], row[0], 5);                                                   // NLL of P
        Assert.Equal(Math.Exp(refP.Max()), row[1], 5);                                           // confidence of P
        Assert.Equal(Array.IndexOf(refQ, refQ.Max()) == label ? 1f : 0f, row[5]);                // Q correct
        Assert.Equal(expected.Top1Agrees ? 1f : 0f, row[6]);
        Assert.Equal(expected.TopKAgrees ? 1f : 0f, row[7]);
        Assert.Equal(expected.ForwardKl, row[8], 5);
        Assert.Equal(expected.ReverseKl, row[9], 5);
        Assert.Equal(expected.Jsd, row[10], 5);
        Assert.DoesNotContain(row, float.IsNaN);
    }
}
