using LLMDistill.Losses;
using static TorchSharp.torch;

namespace LLMDistill.Tests.Losses;

/// <summary>The weighted objective: combination, confidence selection and input validation.</summary>
public sealed class DistillationObjectiveTests
{
    [Fact]
    public void Evaluate_WeightedTerms_EqualsWeightedSumOfSingleLosses()
    {
        using var scope = NewDisposeScope();
        var student = LossTestData.Logits([3, 4, 10], seed: 30);
        var teacher = LossTestData.Logits([3, 4, 10], seed: 31);
        var labels = LossTestData.Labels([3, 4], 10, seed: 32);
        var objective = new DistillationObjective([
            new LossTerm(DistillationLossKind.CrossEntropy, 0.2),
            new LossTerm(DistillationLossKind.ForwardKl, 0.3),
            new LossTerm(DistillationLossKind.ReverseKl, 0.1),
            new LossTerm(DistillationLossKind.GeneralizedJsd, 1.5),
            new LossTerm(DistillationLossKind.TopKKl, 0.7)])
        { Temperature = 1.8, Beta = 0.25, TopK = 4 };

        var result = DistillationLosses.Evaluate(student, TeacherTargets.FromLogits(teacher), objective, labels);

        var expected = DistillationLosses.Combine(
            (DistillationLosses.CrossEntropy(student, labels), 0.2),
            (DistillationLosses.ForwardKl(student, teacher, temperature: 1.8), 0.3),
            (DistillationLosses.ReverseKl(student, teacher, temperature: 1.8), 0.1),
            (DistillationLosses.GeneralizedJsd(student, teacher, beta: 0.25, temperature: 1.8), 1.5),
            (DistillationLosses.TopKKl(student, teacher, 4, temperature: 1.8), 0.7));
        Assert.Equal(expected.item<double>(), result.Total.item<double>(), 12);
        Assert.Equal(DistillationLosses.ReverseKl(student, teacher, temperature: 1.8).item<double>(), result.Parts[DistillationLossKind.ReverseKl].item<double>(), 12);
        Assert.Equal(12, result.Count);
        Assert.Null(result.ConfidentFraction);
    }

    [Theory]
    [InlineData(LowConfidenceFallback.HardLabels)]
    [InlineData(LowConfidenceFallback.None)]
    public void Evaluate_ConfidenceSelective_SoftTargetsOnlyWhereTeacherIsConfident(LowConfidenceFallback fallback)
    {
        using var scope = NewDisposeScope();
        // Position 0: the teacher is confident (p_max ≈ 0.94); position 1: uniform (p_max = 1/3).
        var teacher = tensor(new[] { 4.0, 1.0, 0.0, 0.0, 0.0, 0.0 }, [2, 3]);
        var student = tensor(new[] { 0.5, 0.2, -0.3, 1.0, -1.0, 0.0 }, [2, 3]);
        var labels = tensor(new long[] { 0, 2 }, [2]);
        var objective = DistillationObjective.Hinton(alpha: 0.25, temperature: 2) with { ConfidenceThreshold = 0.5, LowConfidence = fallback };

        var result = DistillationLosses.Evaluate(student, TeacherTargets.FromLogits(teacher), objective, labels);

        var ce = student.log_softmax(-1).gather(-1, labels.unsqueeze(-1)).neg().squeeze(-1);
        var kl0 = DistillationLosses.ForwardKl(student[..1], teacher[..1], temperature: 2).item<double>();
        var (ce0, ce1) = (ce[0].item<double>(), ce[1].item<double>());
        var expected = fallback == LowConfidenceFallback.HardLabels
            ? ((0.25 * ce0) + (0.75 * kl0) + ce1) / 2
            : ((0.25 * ce0) + (0.75 * kl0) + (0.25 * ce1)) / 2;
        Assert.Equal(expected, result.Total.item<double>(), 12);
        Assert.Equal(0.5, result.ConfidentFraction!.item<double>(), 12);
        Assert.Equal(fallback == LowConfidenceFallback.HardLabels, result.FallbackCrossEntropy is not null);
        Assert.Equal(0.94, DistillationLosses.TeacherMaxProbability(teacher)[0].item<double>(), 2);
    }

    [Fact]
    public void Evaluate_SparseTargetsWithConfidence_UsesTopLogprob()
    {
        using var scope = NewDisposeScope();
        var student = LossTestData.Logits([4, 6], seed: 33);
        var ids = tensor(new long[] { 0, 1, 2, 3, 4, 5, 1, 2 }, [4, 2]);
        var logprobs = tensor(new[] { Math.Log(0.9), Math.Log(0.05), Math.Log(0.3), Math.Log(0.2), Math.Log(0.7), Math.Log(0.1), Math.Log(0.4), Math.Log(0.4) }, [4, 2]);
        var objective = new DistillationObjective([new LossTerm(DistillationLossKind.TopKKl, 1)]) { ConfidenceThreshold = 0.6, LowConfidence = LowConfidenceFallback.None };

        var result = DistillationLosses.Evaluate(student, TeacherTargets.FromTopK(ids, logprobs), objective);

        var selected = tensor(new long[] { 0, 2 });
        var expected = DistillationLosses.SparseTopKKl(student.index_select(0, selected), ids.index_select(0, selected), logprobs.index_select(0, selected)).item<double>() / 2;
        Assert.Equal(expected, result.Total.item<double>(), 12);
        Assert.Equal(0.5, result.ConfidentFraction!.item<double>(), 12);
    }

    [Fact]
    public void ForwardKl_MismatchedShapes_ThrowsWithBothShapes()
    {
        using var scope = NewDisposeScope();
        var ex = Assert.Throws<ArgumentException>(() => DistillationLosses.ForwardKl(zeros(2, 3, 5), zeros(2, 3, 6)));
        Assert.Contains("[2, 3, 5]", ex.Message);
        Assert.Contains("[2, 3, 6]", ex.Message);

        var maskError = Assert.Throws<ArgumentException>(() => DistillationLosses.ForwardKl(zeros(2, 3, 5), zeros(2, 3, 5), ones(3, 2)));
        Assert.Contains("mask", maskError.Message);
    }

    [Fact]
    public void Losses_BadHyperParameters_Throw()
    {
        using var scope = NewDisposeScope();
        var logits = zeros(2, 5);
        Assert.Throws<ArgumentOutOfRangeException>(() => DistillationLosses.ForwardKl(logits, logits, temperature: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => DistillationLosses.GeneralizedJsd(logits, logits, beta: 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => DistillationLosses.TopKKl(logits, logits, k: 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => DistillationLosses.Hinton(logits, logits, zeros(2, ScalarType.Int64), alpha: -0.1, temperature: 1));
    }

    [Fact]
    public void CrossEntropy_LabelOutsideVocabulary_ThrowsNamingTheId()
    {
        using var scope = NewDisposeScope();
        var ex = Assert.Throws<ArgumentException>(() => DistillationLosses.CrossEntropy(zeros(2, 5), tensor(new long[] { 1, 7 })));
        Assert.Contains("id 7", ex.Message);
    }

    [Fact]
    public void Evaluate_ImpossibleCombinations_ThrowClearErrors()
    {
        using var scope = NewDisposeScope();
        var student = zeros(2, 5);
        var sparse = TeacherTargets.FromTopK(zeros([2, 2], ScalarType.Int64), zeros(2, 2));
        var forward = new DistillationObjective([new LossTerm(DistillationLossKind.ForwardKl, 1)]);
        var topK = new DistillationObjective([new LossTerm(DistillationLossKind.TopKKl, 1)]);

        Assert.Contains("full distribution", Assert.Throws<ArgumentException>(() => DistillationLosses.Evaluate(student, sparse, forward)).Message);
        Assert.Contains("Temperature 1", Assert.Throws<ArgumentException>(
            () => DistillationLosses.Evaluate(student, sparse, topK with { Temperature = 2, MissingMass = SparseMissingMass.OtherBucket })).Message);
        Assert.Contains("TopK > 0", Assert.Throws<ArgumentException>(() => DistillationLosses.Evaluate(student, TeacherTargets.FromLogits(student), topK)).Message);
        Assert.Contains("needs labels", Assert.Throws<ArgumentException>(
            () => DistillationLosses.Evaluate(student, TeacherTargets.FromLogits(student), DistillationObjective.Hinton(0.5, 1))).Message);
        Assert.Contains("more than once", Assert.Throws<ArgumentException>(() => new DistillationObjective([.. forward.Terms, .. forward.Terms]).Validate()).Message);
        Assert.Contains("outside the vocabulary", Assert.Throws<ArgumentException>(
            () => DistillationLosses.SparseTopKKl(student, full([2, 2], 9L, ScalarType.Int64), zeros(2, 2))).Message);
    }
}
