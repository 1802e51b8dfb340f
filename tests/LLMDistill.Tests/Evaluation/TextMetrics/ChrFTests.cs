using LLMDistill.Evaluation.TextMetrics;

namespace LLMDistill.Tests.Evaluation.TextMetrics;

/// <summary>
/// Expected values are sacreBLEU's: mjpost/sacrebleu test/test_chrf.py (beta 3 cases, whitespace, sentence level) and
/// the chrF metric card of huggingface/datasets (metrics/chrf/README.md), whose numbers sacreBLEU computed (chrF2, chrF++).
/// </summary>
public sealed class ChrFTests
{
    private static readonly string[] CardPredictions =
    [
        "The relationship between cats and dogs is not exactly friendly.",
        "a good bookshop is just a genteel black hole that knows how to read.",
    ];

    private static readonly string[] CardReferences =
    [
        "The relationship between dogs and cats is not exactly friendly.",
        "A good bookshop is just a genteel Black Hole that knows how to read.",
    ];

    [Theory]
    [InlineData(new[] { "abcdefg" }, new[] { "hijklmnop" }, 0.0)]
    [InlineData(new[] { "a" }, new[] { "b" }, 0.0)]
    [InlineData(new[] { "" }, new[] { "b" }, 0.0)]
    [InlineData(new[] { "" }, new[] { "reference" }, 0.0)]
    [InlineData(new[] { "aa" }, new[] { "ab" }, 8.3333)]
    [InlineData(new[] { "a", "b" }, new[] { "a", "c" }, 8.3333)]
    [InlineData(new[] { "a" }, new[] { "a" }, 16.6667)]
    [InlineData(new[] { "a b c" }, new[] { "a b c" }, 50.0)]
    [InlineData(new[] { "a b c" }, new[] { "abc" }, 50.0)]
    [InlineData(new[] { " risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists ." },
        new[] { "risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists ." }, 63.361730)]
    [InlineData(new[] { " Die    Beziehung zwischen  Obama und Netanjahu ist nicht gerade  freundlich. " },
        new[] { "Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich." }, 64.1302698)]
    [InlineData(new[] { "Niemand hat die Absicht, eine Mauer zu errichten" }, new[] { "Niemand hat die Absicht, eine Mauer zu errichten" }, 100.0)]
    public void CorpusScore_Beta3EpsSmoothing_MatchesTestChrfPy(string[] hyps, string[] refs, double expected)
        => Assert.Equal(expected, ChrF.CorpusScore(hyps, [refs], new ChrFSettings(Beta: 3, EpsSmoothing: true)), 1e-4);

    [Theory]
    [InlineData(new[] { "a" }, new[] { "a" }, 100.0)]
    [InlineData(new[] { "" }, new[] { "reference" }, 0.0)]
    [InlineData(new[] { "a b c" }, new[] { "a b c" }, 100.0)]
    [InlineData(new[] { "a b c" }, new[] { "abc" }, 100.0)]
    [InlineData(new[] { "" }, new[] { "c" }, 0.0)]
    [InlineData(new[] { "a", "b" }, new[] { "a", "c" }, 50.0)]
    [InlineData(new[] { "aa" }, new[] { "ab" }, 25.0)]
    public void CorpusScore_Beta3EffectiveOrder_MatchesTestChrfPy(string[] hyps, string[] refs, double expected)
        => Assert.Equal(expected, ChrF.CorpusScore(hyps, [refs], new ChrFSettings(Beta: 3)), 1e-4);

    [Theory]
    [InlineData("Die Beziehung zwischen Obama und Netanjahu ist nicht gerade freundlich.",
        "Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich.", 67.3481606)]
    [InlineData("risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists .",
        "risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists .", 65.2414427)]
    public void CorpusScore_KeepWhitespace_MatchesTestChrfPy(string hyp, string reference, double expected)
        => Assert.Equal(expected, ChrF.CorpusScore([hyp], [[reference]], new ChrFSettings(Beta: 3, Whitespace: true)), 1e-4);

    [Theory]
    [InlineData("Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře.",
        "Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a kdo zemře.", 39.14078509)]
    [InlineData("Nebo prostě nemají vybavení, které by jim pomohlo, uvedli lékaři.",
        "A někdy nemáme ani potřebný materiál, abychom jim pomohli, popsali lékaři.", 31.22557079)]
    [InlineData("Lapali po dechu, jejich životy skončily dřív, než skutečně začaly.",
        "Lapali po dechu a pak jejich život skončil - dřív, než skutečně mohl začít, připomněli.", 57.15704367)]
    public void SentenceScore_CzechChrF2EpsSmoothing_MatchesTestChrfPy(string hyp, string reference, double expected)
        => Assert.Equal(expected, ChrF.SentenceScore(hyp, [reference], new ChrFSettings(EpsSmoothing: true)), 1e-4);

    [Fact]
    public void CorpusScore_DefaultChrF2_MatchesMetricCard()
        => Assert.Equal(84.64214891738334, ChrF.CorpusScore(CardPredictions, [CardReferences]), 1e-9);

    [Fact]
    public void CorpusScore_ChrFPlusPlus_MatchesMetricCard()
        => Assert.Equal(82.87263732906315, ChrF.CorpusScore(CardPredictions, [CardReferences], ChrFSettings.ChrFPlusPlus), 1e-9);

    [Fact]
    public void CorpusScore_ChrFPlusPlusLowercase_MatchesMetricCard()
        => Assert.Equal(92.12853119829202, ChrF.CorpusScore(CardPredictions, [CardReferences], new ChrFSettings(WordOrder: 2, Lowercase: true)), 1e-9);

    [Fact]
    public void SentenceScore_ObamaNetanyahu_MatchesMetricCard()
        => Assert.Equal(61.576379378113785, ChrF.SentenceScore(
            "The relationship between Obama and Netanyahu is not exactly friendly.",
            ["The ties between Obama and Netanyahu are not particularly friendly."]), 1e-9);

    [Fact]
    public void SentenceScore_MultipleReferences_TakesTheBestReference()
    {
        var single = ChrF.SentenceScore("the cat sat", ["the cat sat"]);
        Assert.Equal(single, ChrF.SentenceScore("the cat sat", ["a dog ran", "the cat sat"]), 12);
    }

    [Fact]
    public void SentenceScore_AstralCharacters_CountAsOneCharacterLikePython()
    {
        // "😀a" vs "😀b": unigrams match 1 of 2 each side; with UTF-16 units it would be 2 of 3.
        var score = ChrF.SentenceScore("😀a", ["😀b"], new ChrFSettings(CharOrder: 1));
        Assert.Equal(50.0, score, 9);
    }
}
