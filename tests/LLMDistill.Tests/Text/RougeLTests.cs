using LLMDistill.Text;

namespace LLMDistill.Tests.Text;

public sealed class RougeLTests
{
    [Fact]
    public void Tokenize_PunctuationAndCase_SplitsLikeRougeScore()
        => Assert.Equal(["the", "cat", "s", "hat", "42"], RougeL.Tokenize("The cat's HAT, 42!"));

    [Fact]
    public void FMeasure_TextbookPair_MatchesHandComputedLcs()
    {
        // LCS("police killed the gunman", "police kill the gunman") = police the gunman = 3; P = R = 3/4.
        Assert.Equal(0.75, RougeL.FMeasure("police killed the gunman", "police kill the gunman"), 12);
    }

    [Fact]
    public void FMeasure_DifferentLengths_IsHarmonicMeanOfPrecisionAndRecall()
    {
        // ref 6 tokens, cand 3 tokens, LCS = 3 (a b c): P = 1, R = 0.5, F = 2/3.
        Assert.Equal(2.0 / 3.0, RougeL.FMeasure("a x b y c z", "a b c"), 12);
    }

    [Fact]
    public void FMeasure_EmptyOrDisjoint_IsZero()
    {
        Assert.Equal(0, RougeL.FMeasure("", "anything"));
        Assert.Equal(0, RougeL.FMeasure("one two", "three four"));
        Assert.Equal(1, RougeL.FMeasure("Same words here.", "same WORDS here"));
    }
}
