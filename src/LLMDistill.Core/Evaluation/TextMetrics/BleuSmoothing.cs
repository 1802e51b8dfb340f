namespace LLMDistill.Evaluation.TextMetrics;

/// <summary>
/// BLEU smoothing methods of sacreBLEU, from Chen and Cherry, "A Systematic Comparison of Smoothing Techniques
/// for Sentence-Level BLEU" (WMT 2014).
/// </summary>
public enum BleuSmoothing
{
    /// <summary>No smoothing: any n-gram order without a match makes the score 0.</summary>
    None,

    /// <summary>Method 1: a zero match count is replaced by <see cref="BleuSettings.SmoothValue"/> (default 0.1).</summary>
    Floor,

    /// <summary>Method 2: add <see cref="BleuSettings.SmoothValue"/> (default 1) to matches and totals for n &gt; 1.</summary>
    AddK,

    /// <summary>Method 3, NIST's geometric sequence (sacreBLEU's default): the k-th zero precision becomes 1 / (2^k · total).</summary>
    Exp,
}
