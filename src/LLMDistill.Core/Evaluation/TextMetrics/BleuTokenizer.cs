namespace LLMDistill.Evaluation.TextMetrics;

/// <summary>Which sacreBLEU tokenizer BLEU applies before counting n-grams.</summary>
public enum BleuTokenizer
{
    /// <summary>sacreBLEU's default <c>13a</c> (mteval-v13a.pl): punctuation is split off words.</summary>
    ThirteenA,

    /// <summary>sacreBLEU's <c>none</c>: the text is only split on whitespace.</summary>
    None,
}
