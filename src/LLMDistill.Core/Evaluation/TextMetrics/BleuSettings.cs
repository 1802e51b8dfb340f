namespace LLMDistill.Evaluation.TextMetrics;

/// <summary>BLEU settings, named and defaulted as sacreBLEU's <c>BLEU(...)</c> arguments.</summary>
/// <param name="Tokenizer">Tokenizer applied to hypotheses and references; sacreBLEU's default is <c>13a</c>.</param>
/// <param name="Smoothing">Smoothing method; sacreBLEU's default is <c>exp</c>.</param>
/// <param name="SmoothValue">Value for <see cref="BleuSmoothing.Floor"/> (default 0.1) and <see cref="BleuSmoothing.AddK"/> (default 1); null takes the default.</param>
/// <param name="Lowercase">Lower-case both sides first (case-insensitive BLEU).</param>
/// <param name="MaxNgramOrder">Highest n-gram order (4).</param>
/// <param name="EffectiveOrder">Stop at the highest order the hypothesis has n-grams for; sacreBLEU uses it for sentence BLEU.</param>
public sealed record BleuSettings(
    BleuTokenizer Tokenizer = BleuTokenizer.ThirteenA,
    BleuSmoothing Smoothing = BleuSmoothing.Exp,
    double? SmoothValue = null,
    bool Lowercase = false,
    int MaxNgramOrder = 4,
    bool EffectiveOrder = false)
{
    /// <summary>sacreBLEU's corpus defaults: 13a, exp smoothing, no effective order.</summary>
    public static BleuSettings Corpus { get; } = new();

    /// <summary>sacreBLEU's <c>sentence_bleu</c> defaults: 13a, exp smoothing, effective order.</summary>
    public static BleuSettings Sentence { get; } = new(EffectiveOrder: true);

    /// <summary>sacreBLEU's signature of these settings, e.g. <c>nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.x</c> (without nrefs/version).</summary>
    public string Signature
    {
        get
        {
            var smooth = Smoothing switch
            {
                BleuSmoothing.Floor => $"floor[{SmoothValue ?? 0.1:0.00}]",
                BleuSmoothing.AddK => $"add-k[{SmoothValue ?? 1:0.00}]",
                BleuSmoothing.None => "none",
                _ => "exp",
            };
            var tok = Tokenizer == BleuTokenizer.ThirteenA ? "13a" : "none";
            return string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"case:{(Lowercase ? "lc" : "mixed")}|eff:{(EffectiveOrder ? "yes" : "no")}|tok:{tok}|smooth:{smooth}");
        }
    }
}
