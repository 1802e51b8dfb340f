using LLMDistill.Generation.Selection;

namespace LLMDistill.Tests.Generation.Selection;

public sealed class DiverseSelectorTests
{
    // Unit vectors in 2-D, best score first: 0 = (1, 0); 1 = a near-copy of 0 (cos 0.995); 2 = (0, 1); 3 = the diagonal (cos 0.707 to both).
    private static readonly float[] Plane = [1f, 0f, 0.995f, 0.0998749f, 0f, 1f, 0.70710678f, 0.70710678f];
    private static readonly int[] BestFirst = [0, 1, 2, 3];

    [Fact]
    public void Select_FixedDistance_SkipsTheNearCopyOfABetterSample()
    {
        var selection = DiverseSelector.Select(Plane, 2, BestFirst, 2, new DiversityOptions { MinDistance = 0.5 });

        Assert.Equal([0, 2], selection.Indices);
        Assert.Equal(0.5, selection.MinDistance);
        Assert.Equal(1, selection.Passes);
    }

    [Fact]
    public void Select_FixedDistanceLeavesItShort_HalvesTheDistanceUntilFull()
    {
        // At 0.5 the diagonal (distance 0.293 to both) and the copy (0.005) are skipped; at 0.25 the diagonal fits;
        // the copy only at 2^-8 = 0.0039, after five more halvings.
        var three = DiverseSelector.Select(Plane, 2, BestFirst, 3, new DiversityOptions { MinDistance = 0.5 });
        var four = DiverseSelector.Select([.. Plane, 1f, 0f], 2, [0, 1, 2, 3, 4], 4, new DiversityOptions { MinDistance = 0.5 }); // 4 = an exact copy of 0

        Assert.Equal([0, 2, 3], three.Indices);
        Assert.Equal(2, three.Passes);
        Assert.Equal([0, 2, 3, 1], four.Indices);
        Assert.Equal(8, four.Passes);
    }

    [Fact]
    public void Select_DistanceFromTheData_LargestThatFillsTheBudget()
    {
        // Two: 0 and 2 are orthogonal, so any distance up to 1 fills it. Three: the diagonal is 1 - 0.7071 from both.
        var two = DiverseSelector.Select(Plane, 2, BestFirst, 2, new DiversityOptions());
        var three = DiverseSelector.Select(Plane, 2, BestFirst, 3, new DiversityOptions { SearchSteps = 20 });

        Assert.Equal([0, 2], two.Indices);
        Assert.InRange(two.MinDistance, 1 - (1.0 / 1024), 1);
        Assert.Equal(11, two.Passes);
        Assert.Equal([0, 2, 3], three.Indices);
        Assert.InRange(three.MinDistance, 1 - 0.70711 - 1e-5, 1 - 0.70710);
    }

    [Fact]
    public void Select_DistanceFromTheDataButMostlyCopies_DistinctFirstThenTheBestCopy()
    {
        // 0, 1, 2 identical, 3 orthogonal: no positive distance fills three places, so 0 and 3 go first, then 1.
        float[] vectors = [1f, 0f, 1f, 0f, 1f, 0f, 0f, 1f];

        var selection = DiverseSelector.Select(vectors, 2, BestFirst, 3, new DiversityOptions());

        Assert.Equal([0, 3, 1], selection.Indices);
    }

    [Fact]
    public void Select_OrthogonalCandidates_BestFirstLikeTheTopK()
    {
        var identity = new float[16];
        for (var i = 0; i < 4; i++)
        {
            identity[(i * 4) + i] = 1;
        }

        var selection = DiverseSelector.Select(identity, 4, [3, 1, 0, 2], 3, new DiversityOptions());

        Assert.Equal([3, 1, 0], selection.Indices);
    }

    [Fact]
    public void Select_BudgetAtLeastTheCandidates_TakesAllBestFirst()
        => Assert.Equal([1, 0, 2, 3], DiverseSelector.Select(Plane, 2, [1, 0, 2, 3], 10, new DiversityOptions { MinDistance = 0.9 }).Indices);

    [Fact]
    public void Select_ZeroBudget_Empty()
        => Assert.Empty(DiverseSelector.Select(Plane, 2, BestFirst, 0, new DiversityOptions()).Indices);

    [Fact]
    public void Select_CandidateOutsideTheVectors_Throws()
        => Assert.Throws<ArgumentOutOfRangeException>(() => DiverseSelector.Select(Plane, 2, [0, 4], 1, new DiversityOptions()));

    [Fact]
    public void Select_MoreChosenThanTheParallelScanThreshold_CopiesStillFound()
    {
        // 9,500 random directions, then 100 exact copies of some of them: the copies wait for the last pass (at 0),
        // whichever block of the parallel scan holds their original.
        var random = new Random(3);
        const int Distinct = 9_500, D = 16;
        var vectors = new float[(Distinct + 100) * D];
        for (var i = 0; i < Distinct; i++)
        {
            var row = vectors.AsSpan(i * D, D);
            for (var k = 0; k < D; k++)
            {
                row[k] = (float)((random.NextDouble() * 2) - 1);
            }

            System.Numerics.Tensors.TensorPrimitives.Divide(row, System.Numerics.Tensors.TensorPrimitives.Norm(row), row);
        }

        for (var c = 0; c < 100; c++)
        {
            vectors.AsSpan(c * 95 * D, D).CopyTo(vectors.AsSpan((Distinct + c) * D, D));
        }

        var order = Enumerable.Range(0, Distinct + 100).ToArray();
        var selection = DiverseSelector.Select(vectors, D, order, Distinct + 50, new DiversityOptions { MinDistance = 1e-4 });

        Assert.Equal(order.Take(Distinct + 50), selection.Indices);
        Assert.Equal(2, selection.Passes);
    }

    [Fact]
    public void Select_ThousandRandomVectors_DeterministicAndSpreadOut()
    {
        var random = new Random(7);
        var vectors = new float[1000 * 8];
        for (var i = 0; i < 1000; i++)
        {
            var row = vectors.AsSpan(i * 8, 8);
            for (var k = 0; k < 8; k++)
            {
                row[k] = (float)((random.NextDouble() * 2) - 1);
            }

            System.Numerics.Tensors.TensorPrimitives.Divide(row, System.Numerics.Tensors.TensorPrimitives.Norm(row), row);
        }

        var order = Enumerable.Range(0, 1000).ToArray();
        var a = DiverseSelector.Select(vectors, 8, order, 100, new DiversityOptions());
        var b = DiverseSelector.Select(vectors, 8, order, 100, new DiversityOptions());

        Assert.Equal(a.Indices, b.Indices);
        Assert.Equal(100, a.Indices.Distinct().Count());
        foreach (var i in a.Indices)
        {
            foreach (var j in a.Indices.Where(j => j != i))
            {
                Assert.True(1 - System.Numerics.Tensors.TensorPrimitives.Dot(vectors.AsSpan(i * 8, 8), vectors.AsSpan(j * 8, 8)) >= a.MinDistance - 1e-6);
            }
        }
    }
}
