namespace LLMDistill.Evaluation.TextMetrics;

/// <summary>chrF settings, named and defaulted as sacreBLEU's <c>CHRF(...)</c> arguments (chrF2: order 6, beta 2).</summary>
/// <param name="CharOrder">Character n-gram order (6).</param>
/// <param name="WordOrder">Word n-gram order: 0 for chrF, 2 for chrF++ (Popović, 2017).</param>
/// <param name="Beta">Recall is <c>Beta</c> times as important as precision (2).</param>
/// <param name="Lowercase">Compare case-insensitively.</param>
/// <param name="Whitespace">Keep whitespace inside character n-grams (sacreBLEU removes it by default).</param>
/// <param name="EpsSmoothing">Average per-order F-scores with epsilon smoothing (chrF++.py, NLTK, Moses) instead of
/// sacreBLEU's default effective-order averaging of precision and recall.</param>
public sealed record ChrFSettings(
    int CharOrder = 6,
    int WordOrder = 0,
    double Beta = 2,
    bool Lowercase = false,
    bool Whitespace = false,
    bool EpsSmoothing = false)
{
    /// <summary>sacreBLEU's default chrF2.</summary>
    public static ChrFSettings ChrF { get; } = new();

    /// <summary>chrF++: chrF2 plus word unigrams and bigrams.</summary>
    public static ChrFSettings ChrFPlusPlus { get; } = new(WordOrder: 2);
}
