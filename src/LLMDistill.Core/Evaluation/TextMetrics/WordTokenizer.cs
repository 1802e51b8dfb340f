namespace LLMDistill.Evaluation.TextMetrics;

/// <summary>
/// The word tokenization of the diversity and length metrics: sacreBLEU's 13a rules (punctuation split off words),
/// so "words" mean the same thing as BLEU's tokens.
/// </summary>
public static class WordTokenizer
{
    /// <summary>Splits text into 13a tokens.</summary>
    /// <param name="text">Any text.</param>
    /// <returns>The tokens, in order.</returns>
    public static IReadOnlyList<string> Tokenize(string text)
        => SacreBleuTokenizer.Tokenize(text, BleuTokenizer.ThirteenA, lowercase: false);
}
