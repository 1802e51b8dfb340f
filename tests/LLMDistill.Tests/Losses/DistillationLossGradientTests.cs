using LLMDistill.Losses;
using static TorchSharp.torch;

namespace LLMDistill.Tests.Losses;

/// <summary>Autograd gradients w.r.t. the student logits against central finite differences, in float64.</summary>
public sealed class DistillationLossGradientTests
{
    // Central differences with h = 1e-5 are accurate to ~1e-10 here; 1e-7 leaves room without hiding a wrong
    // gradient (a wrong sign, a missing τ² or a leaked masked position is off by ≥ 1e-2).
    private const double Tolerance = 1e-7;

    private static readonly long[] Shape = [2, 3, 7];

    public static TheoryData<string> Losses() =>
        ["forward_kl", "reverse_kl", "jsd", "jsd_beta0", "topk_kl", "sparse_renormalize", "sparse_other_bucket", "ce", "hinton", "selective"];

    [Theory]
    [MemberData(nameof(Losses))]
    public void Gradient_EveryLoss_MatchesFiniteDifferences(string name)
    {
        using var scope = NewDisposeScope();
        var student = LossTestData.Logits(Shape, seed: 1);
        var teacher = LossTestData.Logits(Shape, seed: 2, scale: 3);
        var mask = tensor(new long[] { 1, 1, 0, 1, 0, 1 }, [2, 3]);
        var labels = LossTestData.Labels([2, 3], 7, seed: 3);
        var (logprobs, ids) = teacher.log_softmax(-1).topk(4, dim: -1);
        var slots = tensor(new[] { true, true, true, false }).expand(2, 3, 4);

        Func<Tensor, Tensor> loss = name switch
        {
            "forward_kl" => s => DistillationLosses.ForwardKl(s, teacher, mask, temperature: 2.0),
            "reverse_kl" => s => DistillationLosses.ReverseKl(s, teacher, mask, temperature: 0.7),
            "jsd" => s => DistillationLosses.GeneralizedJsd(s, teacher, mask, beta: 0.3, temperature: 1.5),
            "jsd_beta0" => s => DistillationLosses.GeneralizedJsd(s, teacher, mask, beta: 0.0),
            "topk_kl" => s => DistillationLosses.TopKKl(s, teacher, k: 3, mask, temperature: 1.5),
            "sparse_renormalize" => s => DistillationLosses.SparseTopKKl(s, ids, logprobs, slots, mask, temperature: 2.0),
            "sparse_other_bucket" => s => DistillationLosses.SparseTopKKl(s, ids, logprobs, slots, mask, missingMass: SparseMissingMass.OtherBucket),
            "ce" => s => DistillationLosses.CrossEntropy(s, labels, mask),
            "hinton" => s => DistillationLosses.Hinton(s, teacher, labels, alpha: 0.3, temperature: 2.0, mask),
            "selective" => s => DistillationLosses.Evaluate(s, TeacherTargets.FromLogits(teacher), Selective, labels, mask).Total,
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };

        var error = LossTestData.MaxGradientError(student, loss);

        Assert.True(error < Tolerance, $"{name}: max |autograd - finite difference| = {error:E2}");
    }

    [Fact]
    public void Gradient_TeacherWithExactZeros_IsFiniteAndMatchesFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        var teacher = LossTestData.Logits(Shape, seed: 4);
        teacher.index_fill_(-1, tensor(new long[] { 0, 5 }), double.NegativeInfinity);   // p_t = 0 at tokens 0 and 5
        var student = LossTestData.Logits(Shape, seed: 5);

        var forward = LossTestData.MaxGradientError(student, s => DistillationLosses.ForwardKl(s, teacher, temperature: 1.3));
        var jsd = LossTestData.MaxGradientError(student, s => DistillationLosses.GeneralizedJsd(s, teacher, beta: 0.6));
        var topk = LossTestData.MaxGradientError(student, s => DistillationLosses.TopKKl(s, teacher, k: 7));

        Assert.True(forward < Tolerance, $"forward KL: {forward:E2}");
        Assert.True(jsd < Tolerance, $"JSD: {jsd:E2}");
        Assert.True(topk < Tolerance, $"top-k KL with -inf among the top-k: {topk:E2}");
    }

    [Fact]
    public void Gradient_AllPositionsMasked_IsZero()
    {
        using var scope = NewDisposeScope();
        var student = LossTestData.Logits(Shape, seed: 6).requires_grad_(true);
        var teacher = LossTestData.Logits(Shape, seed: 7);

        DistillationLosses.ForwardKl(student, teacher, zeros([2, 3], ScalarType.Bool)).backward();

        Assert.Equal(0.0, student.grad!.abs().max().item<double>());
    }

    private static DistillationObjective Selective => new([
        new LossTerm(DistillationLossKind.CrossEntropy, 0.4),
        new LossTerm(DistillationLossKind.ForwardKl, 0.6),
        new LossTerm(DistillationLossKind.GeneralizedJsd, 0.5)])
    {
        Temperature = 1.7,
        Beta = 0.2,
        ConfidenceThreshold = 0.35,
    };
}
