using LLMDistill.Losses.Reference;
using LLMDistill.Tests.Fixtures;

namespace LLMDistill.Tests.Losses;

/// <summary>Every loss against ../shared/fixtures/hf/loss-reference.json (PyTorch, float64).</summary>
public sealed class LossReferenceTests
{
    private const double Tolerance = 1e-6;

    public static TheoryData<int> CaseIndices() => [0, 1, 2];

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public async Task Compute_ReferenceCase_MatchesPyTorchTo1e6(int index)
    {
        var cases = await LossReferenceReader.LoadAsync(SharedPaths.HfFixture("loss-reference.json"), CancellationToken.None);
        var c = cases[index];
        var actual = LossReferenceRunner.Compute(c);

        Assert.NotNull(c.Expected);
        foreach (var ((name, value), (_, expected)) in actual.Fields.Zip(c.Expected.Fields))
        {
            Assert.True(Math.Abs(value - expected) <= Tolerance, $"case {index} {name}: {value:R} vs expected {expected:R}");
        }

        Assert.Null(LossReferenceRunner.FirstMismatch(c, actual, Tolerance));
    }

    [Fact]
    public async Task LoadAsync_ReferenceFile_HasThreeCasesWithShapes()
    {
        var cases = await LossReferenceReader.LoadAsync(SharedPaths.HfFixture("loss-reference.json"), CancellationToken.None);

        Assert.Equal(3, cases.Count);
        Assert.Equal((2, 5, 11), (cases[0].Batch, cases[0].Time, cases[0].Vocab));
        Assert.Equal(2 * 5 * 11, cases[0].Student.Count);
        Assert.Equal(3, cases[0].K);
    }
}
