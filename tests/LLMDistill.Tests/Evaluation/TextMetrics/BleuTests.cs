using LLMDistill.Evaluation.TextMetrics;

namespace LLMDistill.Tests.Evaluation.TextMetrics;

/// <summary>
/// Expected values are sacreBLEU's own: mjpost/sacrebleu test/test_bleu.py (corpus, statistics, scoring, effective
/// order) and test/test_sentence_bleu.py (sentence BLEU with each smoothing method, from sacreBLEU issues #98 and #141).
/// </summary>
public sealed class BleuTests
{
    private static readonly string[][] ReadmeRefs =
    [
        ["The dog bit the man.", "It was not unexpected.", "The man bit him first."],
        ["The dog had bit the man.", "No one was surprised.", "The man had bitten the dog."],
    ];

    private static readonly string[] ReadmeHyps = ["The dog bit the man.", "It wasn't surprising.", "The man had just bitten him."];

    // test_sentence_bleu.py, example from sacreBLEU issue #98.
    private const string RoRef = "producţia de zahăr brut se exprimă în zahăr alb;";
    private const string RoSys = "Producția de zahăr primă va fi exprimată în ceea ce privește zahărul alb;";

    [Theory]
    [InlineData(BleuTokenizer.ThirteenA, 48.530827)]
    [InlineData(BleuTokenizer.None, 49.1919566)]
    public void CorpusScore_SacreBleuReadmeExample_MatchesTestBleuPy(BleuTokenizer tokenizer, double expected)
    {
        var score = Bleu.CorpusScore(ReadmeHyps, ReadmeRefs, new BleuSettings(Tokenizer: tokenizer));
        Assert.Equal(expected, score.Score, 1e-6);
    }

    [Fact]
    public void CorpusScore_NoSmoothing_MatchesTestBleuPy()
        => Assert.Equal(48.530827, Bleu.CorpusScore(ReadmeHyps, ReadmeRefs, new BleuSettings(Smoothing: BleuSmoothing.None)).Score, 1e-6);

    [Fact]
    public void CorpusScore_EmptyHypotheses_AreKeptAndScoreZero()
        => Assert.Equal(0.0, Bleu.CorpusScore(["", "", ""], ReadmeRefs).Score);

    [Theory]
    [InlineData(BleuSmoothing.Exp, null, BleuTokenizer.ThirteenA, 8.493)]
    [InlineData(BleuSmoothing.None, null, BleuTokenizer.ThirteenA, 0.0)]
    [InlineData(BleuSmoothing.Floor, null, BleuTokenizer.ThirteenA, 4.51688)]
    [InlineData(BleuSmoothing.Floor, 0.5, BleuTokenizer.ThirteenA, 10.10)]
    [InlineData(BleuSmoothing.AddK, null, BleuTokenizer.ThirteenA, 14.882)]
    [InlineData(BleuSmoothing.AddK, 2.0, BleuTokenizer.ThirteenA, 21.389)]
    [InlineData(BleuSmoothing.Exp, null, BleuTokenizer.None, 7.347)]
    public void SentenceScore_Issue98Example_MatchesTestSentenceBleuPy(BleuSmoothing smoothing, double? value, BleuTokenizer tokenizer, double expected)
    {
        var settings = new BleuSettings(Tokenizer: tokenizer, Smoothing: smoothing, SmoothValue: value, EffectiveOrder: true);
        Assert.Equal(expected, Bleu.SentenceScore(RoSys, [RoRef], settings).Score, 1e-3);
    }

    [Theory]
    [InlineData(BleuSmoothing.Exp)]
    [InlineData(BleuSmoothing.Floor)]
    [InlineData(BleuSmoothing.AddK)]
    public void SentenceScore_NoMatchAtAll_IsZeroWhateverTheSmoothing(BleuSmoothing smoothing)
        => Assert.Equal(0.0, Bleu.SentenceScore("this is a cat", ["okay thanks"], new BleuSettings(Smoothing: smoothing, EffectiveOrder: true)).Score);

    [Fact]
    public void SentenceScore_DefaultSettings_AreSacreBleuSentenceBleu()
        => Assert.Equal(8.493, Bleu.SentenceScore(RoSys, [RoRef]).Score, 1e-3);

    [Fact]
    public void CorpusScore_StatisticsCase_MatchesCountsAndTotals()
    {
        // test_bleu.py test_case_statistics: counts [4, 2, 1, 0], totals [6, 5, 4, 3] (tokenize none).
        var score = Bleu.CorpusScore(["am I am a character sequence"], [["I am a symbol string sequence a a"]], new BleuSettings(Tokenizer: BleuTokenizer.None));
        Assert.Equal([4L, 2, 1, 0], score.Counts);
        Assert.Equal([6L, 5, 4, 3], score.Totals);
        Assert.Equal(6, score.HypothesisLength);
        Assert.Equal(8, score.ReferenceLength);
    }

    [Fact]
    public void CorpusScore_FloorSmoothingOffset_MatchesTestOffset()
    {
        // test_bleu.py test_case_offset: raw_corpus_bleu uses floor smoothing; 0.1 gives 0.1555722182, 0 gives 0.
        var hyp = new[] { "am I am a character sequence" };
        var refs = new[] { new[] { "I am a symbol string sequence a a" } };
        Assert.Equal(15.55722182, Bleu.CorpusScore(hyp, refs, new BleuSettings(BleuTokenizer.None, BleuSmoothing.Floor, 0.1)).Score, 1e-6);
        Assert.Equal(0.0, Bleu.CorpusScore(hyp, refs, new BleuSettings(BleuTokenizer.None, BleuSmoothing.Floor, 0.0)).Score);
    }

    [Fact]
    public void Compute_FromStatistics_MatchesTestScoring()
    {
        var score = Bleu.Compute([9, 7, 5, 3], [10, 8, 6, 4], 11, 11, new BleuSettings(Smoothing: BleuSmoothing.None));
        Assert.Equal(83.75922397, score.Score, 1e-6);
    }

    [Theory]
    [InlineData("test", "a test", 36.787944117144250)]
    [InlineData("a test", "a test", 100.0)]
    [InlineData("a little test", "a test", 3.218297948685433)]
    public void CorpusScore_EffectiveOrder_MatchesTestEffectiveOrder(string hyp, string reference, double expected)
    {
        // raw_corpus_bleu: tokenize none, floor smoothing 0.01, effective order.
        var settings = new BleuSettings(BleuTokenizer.None, BleuSmoothing.Floor, 0.01, EffectiveOrder: true);
        Assert.Equal(expected, Bleu.CorpusScore([hyp], [[reference]], settings).Score, 1e-6);
    }

    [Fact]
    public void CorpusScore_ShortHypothesis_AppliesBrevityPenaltyAsSacreBleu()
    {
        // c = 2, r = 4: BP = exp(1 - 4/2) = e^-1.
        var score = Bleu.CorpusScore(["the cat"], [["the cat sat down"]]);
        Assert.Equal(Math.Exp(-1), score.BrevityPenalty, 12);
    }

    [Fact]
    public void CorpusScore_MismatchedStreams_Throws()
        => Assert.Throws<ArgumentException>(() => Bleu.CorpusScore(["a", "b"], [["a"]]));

    [Theory]
    [InlineData("Hello, world!", "Hello , world !")]
    [InlineData("It costs $3.50, ok.", "It costs $ 3.50 , ok .")]
    [InlineData("1-2 a-b &amp; x", "1 - 2 a-b & x")]
    public void Apply13a_Punctuation_SplitsAsMtevalV13a(string input, string expected)
        => Assert.Equal(expected, SacreBleuTokenizer.Apply13a(input));

    [Fact]
    public void Signature_Defaults_NamesTokenizerAndSmoothing()
        => Assert.Equal("case:mixed|eff:no|tok:13a|smooth:exp", BleuSettings.Corpus.Signature);
}
