using System.Numerics.Tensors;
using LLMDistill.Generation.Selection;

namespace LLMDistill.Tests.Generation.Selection;

public sealed class HashedTfIdfTests
{
    private const int Dims = 8192; // few words in many dimensions: no bucket collisions in these small cases

    [Fact]
    public void Vectorize_CaseAndPunctuationDiffer_SameUnitVector()
    {
        var v = HashedTfIdf.Vectorize(["To be, or not to be", "to BE or NOT to be!", "Something else entirely"], 2, Dims);

        Assert.Equal(1.0, Cosine(v, 0, 1), 5);
        Assert.Equal(1.0, Cosine(v, 0, 0), 5);
    }

    [Fact]
    public void Vectorize_TwoDocumentsSharingOneWord_CosineFromSmoothedIdf()
    {
        // N = 2: "a" is in both (idf ln(3/3)+1 = 1), "b" and "c" in one (idf ln(3/2)+1); tf 1 everywhere.
        var v = HashedTfIdf.Vectorize(["a b", "a c"], 1, Dims);

        var rare = Math.Log(1.5) + 1;
        Assert.Equal(1 / (1 + (rare * rare)), Cosine(v, 0, 1), 5);
    }

    [Fact]
    public void Vectorize_WordOrder_OnlyBigramsTellItApart()
    {
        var unigrams = HashedTfIdf.Vectorize(["a b", "b a"], 1, Dims);
        var bigrams = HashedTfIdf.Vectorize(["a b", "b a"], 2, Dims);

        // With bigrams: [a, b, "a b", -] · [a, b, -, "b a"] with the shared words at idf 1 and each bigram at ln(3/2)+1.
        var rare = Math.Log(1.5) + 1;
        Assert.Equal(1.0, Cosine(unigrams, 0, 1), 5);
        Assert.Equal(2 / (2 + (rare * rare)), Cosine(bigrams, 0, 1), 5);
    }

    [Fact]
    public void Vectorize_RepeatedWord_SublinearTermFrequency()
    {
        // "x x x y" vs "y": x has tf 3 (weight 1 + ln 3, idf ln(3/2)+1), y is in both (idf 1).
        var v = HashedTfIdf.Vectorize(["x x x y", "y"], 1, Dims);

        var x = (1 + Math.Log(3)) * (Math.Log(1.5) + 1);
        Assert.Equal(1 / Math.Sqrt((x * x) + 1), Cosine(v, 0, 1), 5);
    }

    [Fact]
    public void Vectorize_NoWords_ZeroVector()
    {
        var v = HashedTfIdf.Vectorize(["", " ,.! ", "words"], 2, 64);

        Assert.All(v.AsSpan(0, 128).ToArray(), x => Assert.Equal(0f, x));
        Assert.Equal(1.0, TensorPrimitives.Norm(v.AsSpan(128, 64)), 5);
    }

    [Fact]
    public void Vectorize_SameInput_SameVectors()
        => Assert.Equal(HashedTfIdf.Vectorize(["a b c", "c d e f"], 3, 32), HashedTfIdf.Vectorize(["a b c", "c d e f"], 3, 32));

    private static double Cosine(float[] v, int i, int j)
        => TensorPrimitives.Dot(v.AsSpan(i * Dims, Dims), v.AsSpan(j * Dims, Dims));
}
