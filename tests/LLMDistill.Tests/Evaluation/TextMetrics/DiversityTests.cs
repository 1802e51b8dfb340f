using LLMDistill.Evaluation.TextMetrics;

namespace LLMDistill.Tests.Evaluation.TextMetrics;

public sealed class DiversityTests
{
    [Fact]
    public void DistinctN_HandComputed_CountsUniqueOverTotal()
    {
        // Tokens: [the cat sat] [the cat ran]: 6 unigrams, 4 distinct; 4 bigrams, 3 distinct (the cat twice).
        string[] texts = ["the cat sat", "the cat ran"];
        Assert.Equal(4.0 / 6, DistinctN.Score(texts, 1), 12);
        Assert.Equal(3.0 / 4, DistinctN.Score(texts, 2), 12);
        Assert.Equal(0, DistinctN.Score(["one"], 2));
    }

    [Fact]
    public void SelfBleu_IdenticalOutputs_Is100()
        => Assert.Equal(100.0, SelfBleu.Score(["the cat sat on the mat", "the cat sat on the mat", "the cat sat on the mat"])!.Value, 9);

    [Fact]
    public void SelfBleu_DisjointOutputs_IsZero()
        => Assert.Equal(0.0, SelfBleu.Score(["alpha beta gamma delta", "one two three four"])!.Value);

    [Fact]
    public void SelfBleu_FewerThanTwo_IsNull()
        => Assert.Null(SelfBleu.Score(["only one"]));

    [Fact]
    public void SelfBleu_HandComputedPair_IsMeanOfSentenceBleus()
    {
        // "a b c d" vs "a b c e": p1 = 3/4, p2 = 2/3, p3 = 1/2, p4 = 0 -> exp smoothing 1/(2*1); BP = 1; symmetric.
        var expected = 100 * Math.Pow(0.75 * (2.0 / 3) * 0.5 * 0.5, 0.25);
        Assert.Equal(expected, SelfBleu.Score(["a b c d", "a b c e"])!.Value, 9);
    }

    [Fact]
    public void SelfBleu_FastPath_EqualsNaiveMultiReferenceSentenceBleu()
    {
        string[] texts =
        [
            "the cat sat on the mat .", "the cat sat on the hat .", "a dog sat on the mat , the dog .",
            "the the the cat", "nothing in common here", "the cat sat on the mat . the cat sat .",
        ];
        var naive = texts.Select((t, i) => Bleu.SentenceScore(t, texts.Where((_, j) => j != i).ToArray()).Score).Average();
        Assert.Equal(naive, SelfBleu.Score(texts)!.Value, 9);
    }

    [Fact]
    public void RepeatedNgramRate_HandComputed_CountsRepeatsOverTotal()
    {
        // 6 tokens, n = 2: bigrams ab bc ca ab bc -> 5 total, 3 distinct -> 2/5.
        Assert.Equal(0.4, Repetition.RepeatedNgramRate(["a", "b", "c", "a", "b", "c"], 2), 12);
        Assert.Equal(0, Repetition.RepeatedNgramRate(["a", "b"], 4));
    }

    [Fact]
    public void EndsInLoop_RepeatedTail_IsDetected()
    {
        var loop = WordTokenizer.Tokenize("I think that to be or not to be or not to be or not to be or");
        Assert.True(Repetition.EndsInLoop(loop));
        Assert.False(Repetition.EndsInLoop(WordTokenizer.Tokenize("ha ha ha , said the clown to the crowd")));
        Assert.False(Repetition.EndsInLoop(WordTokenizer.Tokenize("ha ha ha")));
        Assert.True(Repetition.EndsInLoop(WordTokenizer.Tokenize("and then the the the the the the the the")));
    }

    [Fact]
    public void LengthStatistics_HandComputed_MatchesNumpyPercentiles()
    {
        // numpy: median([1,2,3,4,10]) = 3, percentile(..., 90) = 4 + 0.6 * 6 = 7.6.
        var stats = LengthStatistics.From([4, 1, 10, 2, 3]);
        Assert.Equal(4.0, stats.Mean, 12);
        Assert.Equal(3.0, stats.Median, 12);
        Assert.Equal(7.6, stats.P90, 12);
        Assert.Equal(1, stats.Min);
        Assert.Equal(10, stats.Max);
        Assert.Equal(Math.Sqrt(10), stats.StdDev, 12);
        Assert.Equal(0, LengthStatistics.From([]).Count);
    }

    [Fact]
    public void ExactMatch_StrictAndNormalized_DifferOnCaseAndPunctuation()
    {
        string[] candidates = ["Paris.", "  London ", "rome"];
        string[] references = ["paris", "London", "Madrid"];
        Assert.Equal(1.0 / 3, ExactMatch.Rate(candidates, references), 12);
        Assert.Equal(2.0 / 3, ExactMatch.NormalizedRate(candidates, references), 12);
    }

    [Fact]
    public void SequenceMetrics_StudentEqualsTeacher_ScoresPerfectOverlap()
    {
        string[] answers = ["To be, or not to be.", "All the world's a stage."];
        var metrics = SequenceMetrics.Compute("student", "teacher", answers, answers, [7, 8], [7, 8]);
        Assert.Equal(1.0, metrics.ExactMatch);
        Assert.Equal(100.0, metrics.Bleu, 9);
        Assert.Equal(100.0, metrics.ChrF, 9);
        Assert.Equal(100.0, metrics.ChrFPlusPlus, 9);
        Assert.Equal(1.0, metrics.RougeL, 12);
        Assert.Equal(7.5, metrics.Outputs.Tokens!.Mean);
        Assert.Equal(metrics.Outputs, metrics.ReferenceOutputs);
    }

    [Fact]
    public void SequenceMetrics_MismatchedLists_Throws()
        => Assert.Throws<ArgumentException>(() => SequenceMetrics.Compute("s", "t", ["a"], ["a", "b"]));
}
