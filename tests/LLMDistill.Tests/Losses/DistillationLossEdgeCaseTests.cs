using LLMDistill.Losses;
using static TorchSharp.torch;

namespace LLMDistill.Tests.Losses;

/// <summary>Hand-computed values and limits of the losses.</summary>
public sealed class DistillationLossEdgeCaseTests
{
    private static readonly long[] Shape = [2, 4, 9];

    [Fact]
    public void Losses_IdenticalDistributions_AreZero()
    {
        using var scope = NewDisposeScope();
        var logits = LossTestData.Logits(Shape, seed: 10);
        var shifted = logits + 3.0;     // same distribution, different logits
        var (logprobs, ids) = logits.log_softmax(-1).topk(4, dim: -1);

        Assert.Equal(0.0, DistillationLosses.ForwardKl(logits, shifted, temperature: 2).item<double>(), 12);
        Assert.Equal(0.0, DistillationLosses.ReverseKl(logits, shifted).item<double>(), 12);
        Assert.Equal(0.0, DistillationLosses.GeneralizedJsd(logits, shifted, beta: 0.4).item<double>(), 12);
        Assert.Equal(0.0, DistillationLosses.TopKKl(logits, shifted, k: 9).item<double>(), 12);
        Assert.Equal(0.0, DistillationLosses.SparseTopKKl(logits, ids, logprobs, missingMass: SparseMissingMass.OtherBucket).item<double>(), 12);
    }

    [Fact]
    public void Losses_AllPositionsMaskedOut_AreZeroNotNaN()
    {
        using var scope = NewDisposeScope();
        var student = LossTestData.Logits(Shape, seed: 11);
        var teacher = LossTestData.Logits(Shape, seed: 12);
        var none = zeros([2, 4], ScalarType.Int64);
        var ignored = full([2, 4], DistillationLosses.IgnoreIndex, ScalarType.Int64);

        Assert.Equal(0.0, DistillationLosses.ForwardKl(student, teacher, none).item<double>());
        Assert.Equal(0.0, DistillationLosses.ReverseKl(student, teacher, none).item<double>());
        Assert.Equal(0.0, DistillationLosses.GeneralizedJsd(student, teacher, none).item<double>());
        Assert.Equal(0.0, DistillationLosses.TopKKl(student, teacher, 3, none).item<double>());
        Assert.Equal(0.0, DistillationLosses.CrossEntropy(student, ignored).item<double>());
        Assert.Equal(0.0, DistillationLosses.Hinton(student, teacher, ignored, 0.5, 2.0).item<double>());
    }

    [Fact]
    public void Losses_TeacherWithExactZeros_MatchHandComputedValues()
    {
        using var scope = NewDisposeScope();
        var teacher = tensor(new[] { 0.0, 0.0, double.NegativeInfinity }, [1, 3]);   // p_t = (1/2, 1/2, 0)
        var student = zeros([1, 3], ScalarType.Float64);                                  // p_s = (1/3, 1/3, 1/3)

        // KL(p_t || p_s) = ln(3/2); m = (5/12, 5/12, 1/6) for β = 1/2.
        var jsd = (0.5 * Math.Log(1.2)) + (0.5 * ((2.0 / 3 * Math.Log(0.8)) + (1.0 / 3 * Math.Log(2))));
        Assert.Equal(Math.Log(1.5), DistillationLosses.ForwardKl(student, teacher).item<double>(), 14);
        Assert.Equal(jsd, DistillationLosses.GeneralizedJsd(student, teacher, beta: 0.5).item<double>(), 14);
        Assert.Equal(double.PositiveInfinity, DistillationLosses.ReverseKl(student, teacher).item<double>());
        Assert.Equal(Math.Log(1.5), DistillationLosses.TopKKl(student, teacher, k: 3).item<double>(), 14);
    }

    [Fact]
    public void GeneralizedJsd_Limits_MatchDefinition()
    {
        using var scope = NewDisposeScope();
        var student = LossTestData.Logits(Shape, seed: 13);
        var teacher = LossTestData.Logits(Shape, seed: 14);
        const double tau = 1.5, small = 1e-6;
        var forward = DistillationLosses.ForwardKl(student, teacher, temperature: tau).item<double>() / (tau * tau);
        var reverse = DistillationLosses.ReverseKl(student, teacher, temperature: tau).item<double>() / (tau * tau);

        Assert.Equal(0.0, DistillationLosses.GeneralizedJsd(student, teacher, beta: 0, temperature: tau).item<double>(), 14);
        Assert.Equal(0.0, DistillationLosses.GeneralizedJsd(student, teacher, beta: 1, temperature: tau).item<double>(), 14);

        // JSD(β) = β·KL(p_t || p_s) + O(β²) and (1−β)·KL(p_s || p_t) + O((1−β)²).
        var nearZero = DistillationLosses.GeneralizedJsd(student, teacher, beta: small, temperature: tau).item<double>() / small;
        var nearOne = DistillationLosses.GeneralizedJsd(student, teacher, beta: 1 - small, temperature: tau).item<double>() / small;
        Assert.True(Math.Abs(nearZero - forward) < 1e-4 * forward, $"JSD(β)/β = {nearZero}, KL(p_t||p_s) = {forward}");
        Assert.True(Math.Abs(nearOne - reverse) < 1e-4 * reverse, $"JSD(1-ε)/ε = {nearOne}, KL(p_s||p_t) = {reverse}");

        // Bounded by ln 2 at β = 1/2 (JSD of the mixture).
        Assert.InRange(DistillationLosses.GeneralizedJsd(student, teacher * 50, beta: 0.5).item<double>(), 0, Math.Log(2));
    }

    [Fact]
    public void SparseTopKKl_RenormalizedWithPaddedSlots_EqualsDenseTopK()
    {
        using var scope = NewDisposeScope();
        var student = LossTestData.Logits(Shape, seed: 15);
        var teacher = LossTestData.Logits(Shape, seed: 16, scale: 3);
        var (logprobs, ids) = teacher.log_softmax(-1).topk(3, dim: -1);
        // Two padded slots with garbage ids and log-probabilities that must be ignored.
        var paddedIds = cat([ids, full([2, 4, 2], -1L, ScalarType.Int64)], -1);
        var paddedLogprobs = cat([logprobs, zeros([2, 4, 2], ScalarType.Float64)], -1);
        var slots = cat([ones([2, 4, 3], ScalarType.Bool), zeros([2, 4, 2], ScalarType.Bool)], -1);
        var mask = tensor(new[] { 1, 0, 1, 1, 1, 1, 0, 1 }, [2, 4]);

        var dense = DistillationLosses.TopKKl(student, teacher, 3, mask, temperature: 2.5).item<double>();
        var sparse = DistillationLosses.SparseTopKKl(student, paddedIds, paddedLogprobs, slots, mask, temperature: 2.5).item<double>();

        Assert.Equal(dense, sparse, 12);
    }

    [Fact]
    public void Evaluate_SparseWithTopKBelowStoredSlots_UsesTheBestSlots()
    {
        using var scope = NewDisposeScope();
        var student = LossTestData.Logits(Shape, seed: 17);
        var teacher = LossTestData.Logits(Shape, seed: 18);
        var (logprobs, ids) = teacher.log_softmax(-1).topk(6, dim: -1, sorted: false);
        var objective = new DistillationObjective([new LossTerm(DistillationLossKind.TopKKl, 1)]) { TopK = 2, Temperature = 0.8 };

        var sparse = DistillationLosses.Evaluate(student, TeacherTargets.FromTopK(ids, logprobs), objective).Total.item<double>();

        Assert.Equal(DistillationLosses.TopKKl(student, teacher, 2, temperature: 0.8).item<double>(), sparse, 12);
    }

    [Fact]
    public void SparseTopKKl_OtherBucket_MatchesHandComputedValue()
    {
        using var scope = NewDisposeScope();
        var student = zeros([1, 4], ScalarType.Float64);                  // s = 1/4 each
        var ids = tensor(new long[] { 2, 0 }, [1, 2]);
        var logprobs = tensor(new[] { Math.Log(0.5), Math.Log(0.3) }, [1, 2]);   // rest 0.2 vs the student's 0.5

        var expected = (0.5 * Math.Log(0.5 / 0.25)) + (0.3 * Math.Log(0.3 / 0.25)) + (0.2 * Math.Log(0.2 / 0.5));
        var actual = DistillationLosses.SparseTopKKl(student, ids, logprobs, missingMass: SparseMissingMass.OtherBucket).item<double>();

        Assert.Equal(expected, actual, 14);
    }

    [Fact]
    public void Losses_Bf16Logits_AreComputedInFloat32()
    {
        using var scope = NewDisposeScope();
        var student = LossTestData.Logits(Shape, seed: 19).to_type(ScalarType.BFloat16);
        var teacher = LossTestData.Logits(Shape, seed: 20).to_type(ScalarType.BFloat16);

        var loss = DistillationLosses.ForwardKl(student, teacher, temperature: 2);
        var reference = DistillationLosses.ForwardKl(student.to_type(ScalarType.Float64), teacher.to_type(ScalarType.Float64), temperature: 2);

        Assert.Equal(ScalarType.Float32, loss.dtype);
        Assert.Equal(reference.item<double>(), loss.item<float>(), 5);
    }

    [Fact]
    public void Losses_IgnoreIndexLabels_ActLikeTheMask()
    {
        using var scope = NewDisposeScope();
        var student = LossTestData.Logits(Shape, seed: 21);
        var teacher = LossTestData.Logits(Shape, seed: 22);
        var labels = LossTestData.Labels([2, 4], 9, seed: 23);
        var mask = tensor(new[] { true, false, true, true, false, true, true, true }, [2, 4]);
        var ignoring = labels.masked_fill(mask.logical_not(), DistillationLosses.IgnoreIndex);

        Assert.Equal(DistillationLosses.Hinton(student, teacher, labels, 0.4, 2, mask).item<double>(), DistillationLosses.Hinton(student, teacher, ignoring, 0.4, 2).item<double>(), 14);
        Assert.Equal(DistillationLosses.CrossEntropy(student, labels, mask).item<double>(), DistillationLosses.CrossEntropy(student, ignoring).item<double>(), 14);
    }

    [Fact]
    public void Combine_WeightedLosses_SumsAndSkipsZeroWeights()
    {
        using var scope = NewDisposeScope();
        var a = tensor(2.0);
        var b = tensor(double.PositiveInfinity);

        Assert.Equal(1.5, DistillationLosses.Combine((a, 0.25), (a, 0.5), (b, 0.0)).item<double>());
        Assert.Throws<ArgumentOutOfRangeException>(() => DistillationLosses.Combine((a, -1.0)));
    }
}
