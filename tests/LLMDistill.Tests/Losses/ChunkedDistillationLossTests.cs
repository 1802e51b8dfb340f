using LLMDistill.Losses;
using static TorchSharp.torch;

namespace LLMDistill.Tests.Losses;

/// <summary>The chunked loss equals the unchunked one in value and in gradients (float64, linear heads).</summary>
public sealed class ChunkedDistillationLossTests
{
    private const int Rows = 11, Hidden = 6, Vocab = 13, TeacherHidden = 5;

    private static DistillationObjective Mixed => new([
        new LossTerm(DistillationLossKind.CrossEntropy, 0.3),
        new LossTerm(DistillationLossKind.ForwardKl, 0.5),
        new LossTerm(DistillationLossKind.ReverseKl, 0.2),
        new LossTerm(DistillationLossKind.GeneralizedJsd, 0.4),
        new LossTerm(DistillationLossKind.TopKKl, 0.1)])
    { Temperature = 1.6, Beta = 0.3, TopK = 4, ConfidenceThreshold = 0.2 };

    public static TheoryData<int> ChunkSizes() => [1, 3, 4, 11, 64];

    [Theory]
    [MemberData(nameof(ChunkSizes))]
    public void Compute_DenseTeacher_EqualsUnchunkedValueAndGradients(int chunkSize)
    {
        using var scope = NewDisposeScope();
        var labels = LossTestData.Labels([Rows], Vocab, seed: 40);
        labels[2] = DistillationLosses.IgnoreIndex;
        var teacher = LossTestData.Logits([Rows, Vocab], seed: 41, scale: 3);

        var (chunked, chunkedGrads) = Run(seed: 42, (hidden, head) =>
            ChunkedDistillationLoss.Compute(hidden, head, TeacherTargets.FromLogits(teacher), Mixed, labels, chunkSize));
        var (whole, wholeGrads) = Run(seed: 42, (hidden, head) =>
            DistillationLosses.Evaluate(head(hidden), TeacherTargets.FromLogits(teacher), Mixed, labels));

        AssertSame(whole, wholeGrads, chunked, chunkedGrads);
        Assert.Equal(Rows - 1, chunked.Count);
    }

    [Fact]
    public void Compute_TeacherFromHidden_EqualsTeacherLogits()
    {
        using var scope = NewDisposeScope();
        var teacherHidden = LossTestData.Logits([Rows, TeacherHidden], seed: 43);
        var teacherWeight = LossTestData.Logits([Vocab, TeacherHidden], seed: 44);
        Tensor TeacherHead(Tensor h) => h.matmul(teacherWeight.t());
        var labels = LossTestData.Labels([Rows], Vocab, seed: 45);

        var (chunked, chunkedGrads) = Run(seed: 46, (hidden, head) =>
            ChunkedDistillationLoss.Compute(hidden, head, TeacherTargets.FromHidden(teacherHidden, TeacherHead), Mixed, labels, chunkSize: 4));
        var (whole, wholeGrads) = Run(seed: 46, (hidden, head) =>
            DistillationLosses.Evaluate(head(hidden), TeacherTargets.FromLogits(TeacherHead(teacherHidden)), Mixed, labels));

        AssertSame(whole, wholeGrads, chunked, chunkedGrads);
    }

    [Theory]
    [InlineData(SparseMissingMass.Renormalize, 2.0)]
    [InlineData(SparseMissingMass.OtherBucket, 1.0)]
    public void Compute_SparseTeacher_EqualsUnchunked(SparseMissingMass missingMass, double temperature)
    {
        using var scope = NewDisposeScope();
        var (logprobs, ids) = LossTestData.Logits([Rows, Vocab], seed: 47).log_softmax(-1).topk(5, dim: -1);
        var slots = LossTestData.Logits([Rows, 5], seed: 48).gt(-2);
        var objective = new DistillationObjective([new LossTerm(DistillationLossKind.TopKKl, 1)]) { Temperature = temperature, MissingMass = missingMass };

        var (chunked, chunkedGrads) = Run(seed: 49, (hidden, head) =>
            ChunkedDistillationLoss.Compute(hidden, head, TeacherTargets.FromTopK(ids, logprobs, slots), objective, chunkSize: 3));
        var (whole, wholeGrads) = Run(seed: 49, (hidden, head) =>
            DistillationLosses.Evaluate(head(hidden), TeacherTargets.FromTopK(ids, logprobs, slots), objective));

        AssertSame(whole, wholeGrads, chunked, chunkedGrads);
    }

    [Fact]
    public void Compute_HeadSeesAtMostOneChunkOfRows()
    {
        using var scope = NewDisposeScope();
        var teacher = LossTestData.Logits([Rows, Vocab], seed: 50);
        var seen = new List<long>();

        var (result, _) = Run(seed: 51, (hidden, head) => ChunkedDistillationLoss.Compute(
            hidden, h => { seen.Add(h.shape[0]); return head(h); }, TeacherTargets.FromLogits(teacher), new DistillationObjective([new LossTerm(DistillationLossKind.ForwardKl, 1)]), chunkSize: 4));

        Assert.True(double.IsFinite(result.Total.item<double>()));
        Assert.Equal([4, 4, 3, 4, 4, 3], seen);     // forward, then the recomputation in backward
    }

    [Fact]
    public void Compute_NoRows_IsZeroAndBackwardWorks()
    {
        using var scope = NewDisposeScope();
        var hidden = zeros([0, Hidden], ScalarType.Float64).requires_grad_(true);
        var weight = LossTestData.Logits([Vocab, Hidden], seed: 52).requires_grad_(true);

        var result = ChunkedDistillationLoss.Compute(hidden, h => h.matmul(weight.t()), TeacherTargets.FromLogits(zeros([0, Vocab], ScalarType.Float64)), Mixed, zeros([0], ScalarType.Int64));
        result.Total.backward();

        Assert.Equal(0.0, result.Total.item<double>());
        Assert.Equal(0.0, weight.grad!.abs().sum().item<double>());
    }

    [Fact]
    public void Compute_UnderNoGrad_GivesTheSameValueWithoutAGraph()
    {
        using var scope = NewDisposeScope();
        var hidden = LossTestData.Logits([Rows, Hidden], seed: 53);
        var weight = LossTestData.Logits([Vocab, Hidden], seed: 54);
        var teacher = LossTestData.Logits([Rows, Vocab], seed: 55);
        var labels = LossTestData.Labels([Rows], Vocab, seed: 56);
        var expected = DistillationLosses.Evaluate(hidden.matmul(weight.t()), TeacherTargets.FromLogits(teacher), Mixed, labels).Total.item<double>();

        using var noGrad = no_grad();
        var result = ChunkedDistillationLoss.Compute(hidden.requires_grad_(true), h => h.matmul(weight.t()), TeacherTargets.FromLogits(teacher), Mixed, labels, chunkSize: 5);

        Assert.False(result.Total.requires_grad);
        Assert.Equal(expected, result.Total.item<double>(), 12);
    }

    [Fact]
    public void Compute_BadShapes_Throw()
    {
        using var scope = NewDisposeScope();
        var teacher = TeacherTargets.FromLogits(zeros(4, Vocab));
        Assert.Throws<ArgumentException>(() => ChunkedDistillationLoss.Compute(zeros(2, 4, Hidden), h => h, teacher, Mixed));
        Assert.Contains("expected [5]", Assert.Throws<ArgumentException>(() => ChunkedDistillationLoss.Compute(zeros(5, Hidden), h => h, teacher, Mixed)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ChunkedDistillationLoss.Compute(zeros(4, Hidden), h => h, teacher, Mixed, chunkSize: 0));
    }

    /// <summary>
    /// A tiny "student": hidden = tanh(x·A) (a trunk whose gradient must flow through the loss), logits = hidden·Wᵀ.
    /// Returns the result and the gradients of A and W.
    /// </summary>
    private static (DistillationLossResult Result, Tensor[] Grads) Run(int seed, Func<Tensor, Func<Tensor, Tensor>, DistillationLossResult> loss)
    {
        var x = LossTestData.Logits([Rows, 4], seed);
        var a = LossTestData.Logits([4, Hidden], seed + 1, scale: 0.5).requires_grad_(true);
        var w = LossTestData.Logits([Vocab, Hidden], seed + 2).requires_grad_(true);
        var result = loss(x.matmul(a).tanh(), h => h.matmul(w.t()));
        result.Total.backward();
        return (result, [a.grad!, w.grad!]);
    }

    private static void AssertSame(DistillationLossResult expected, Tensor[] expectedGrads, DistillationLossResult actual, Tensor[] actualGrads)
    {
        Assert.Equal(expected.Total.item<double>(), actual.Total.item<double>(), 12);
        Assert.Equal(expected.Count, actual.Count);
        foreach (var (kind, part) in expected.Parts)
        {
            Assert.Equal(part.item<double>(), actual.Parts[kind].item<double>(), 12);
        }

        for (var i = 0; i < expectedGrads.Length; i++)
        {
            var difference = (expectedGrads[i] - actualGrads[i]).abs().max().item<double>();
            Assert.True(difference < 1e-12, $"gradient {i} differs by {difference:E2}");
            Assert.True(expectedGrads[i].abs().max().item<double>() > 1e-3, "the gradient should not be trivially zero");
        }
    }
}
