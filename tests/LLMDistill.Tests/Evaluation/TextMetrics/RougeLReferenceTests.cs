using LLMDistill.Text;

namespace LLMDistill.Tests.Evaluation.TextMetrics;

/// <summary>
/// ROUGE-L as used by evaluation, checked on Google's rouge_score examples
/// (google-research/google-research rouge/rouge_scorer_test.py and its testdata target.txt / prediction.txt,
/// whose "ground truth" comes from ROUGE-1.5.5).
/// </summary>
public sealed class RougeLReferenceTests
{
    private const string Target0 = "ZfbCUIUuePaiLVUlCaUXxkpu XPeWing tUHfPMuZ',-Xd Y BrUgVJing M-HV.-DgdDaY.rFDJCRing Ht-LM EKBDXkME,yz'RBr q'wtion wIojNbN wL,b .a-'XdQggyFl jB-RPP'iyOIcUxer tKM L\n";
    private const string Prediction0 = "rFDJCRtion Ht-LM EKtDXkME,yz'RBr q'wer wrojNbN wL,b .a-'XdQggyFl jB-RPP'iyOIcUxi\n";
    private const string Target1 = "KsJdPByEtAor fE-Qg Dpdbring cw-WeFyu vC MoBL Xdn g wkvcEiGvKtion BDFhrpMtion psing sbKao Q m qiing LMmer HqqLFXe,XPY,J XsurkMer ,ed nB'wH'bWVHjWFEing tQ.saefZwJtKrTlixYpMMsJing UCAPwNHeYVjDing c T BUySKtion gMPfJpwGw p'NvxAoping eu pBwMBKV'I DNxqelhu,PHPxDEq,mtion SN\n";
    private const string Prediction1 = "n cw-WeFyu vC MoBL Xdn g wkvcEiGvKtion BDFhrpMer pstion sbKao Q m qier LMmed HqqLFXe,XPY,J XsurkMeo ,ed nB'wH'bWVHjWFEer tQ.saefZwJtKrTlixYpMMNJtion UCAPwNHeYVjD\n";

    [Theory]
    [InlineData("testing one two", "testing one", 1.0, 2.0 / 3, 0.8)]
    [InlineData("testing one two", "testing two", 1.0, 2.0 / 3, 0.8)]
    [InlineData("testing one two", "", 0.0, 0.0, 0.0)]
    [InlineData(Target0, Prediction0, 0.68750, 0.40741, 0.51163)]
    [InlineData(Target1, Prediction1, 0.65385, 0.40476, 0.50000)]
    public void FMeasure_RougeScoreExamples_MatchPublishedScores(string target, string prediction, double precision, double recall, double f)
    {
        var targetTokens = RougeL.Tokenize(target);
        var predictionTokens = RougeL.Tokenize(prediction);
        var lcs = RougeL.LcsLength(targetTokens, predictionTokens);
        Assert.Equal(precision, predictionTokens.Count == 0 ? 0 : (double)lcs / predictionTokens.Count, 5);
        Assert.Equal(recall, (double)lcs / targetTokens.Count, 5);
        Assert.Equal(f, RougeL.FMeasure(target, prediction), 5);
    }
}
