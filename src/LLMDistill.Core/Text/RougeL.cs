namespace LLMDistill.Text;

/// <summary>
/// ROUGE-L (longest common subsequence) F-measure, as Google's <c>rouge_score</c> computes it with its default
/// tokenizer and no stemmer: lower-case, every run of characters that are not letters or digits is a separator.
/// One difference on purpose: letters and digits are Unicode ones (rouge_score keeps only ASCII [a-z0-9]), so
/// non-English text is not reduced to nothing. For ASCII text the scores are identical.
/// Used by near-duplicate filtering (Self-Instruct's 0.7 threshold) and by evaluation.
/// </summary>
public static class RougeL
{
    /// <summary>Splits text into ROUGE tokens (lower-cased letter/digit runs).</summary>
    /// <param name="text">Any text.</param>
    /// <returns>The tokens, in order.</returns>
    public static IReadOnlyList<string> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var isWordChar = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (isWordChar && start < 0)
            {
                start = i;
            }
            else if (!isWordChar && start >= 0)
            {
                tokens.Add(text[start..i].ToLowerInvariant());
                start = -1;
            }
        }

        return tokens;
    }

    /// <summary>ROUGE-L F-measure of two texts (symmetric).</summary>
    /// <param name="reference">The reference text.</param>
    /// <param name="candidate">The candidate text.</param>
    /// <returns>2PR/(P+R) with P = LCS/|candidate| and R = LCS/|reference|; 0 when either is empty.</returns>
    public static double FMeasure(string reference, string candidate)
        => FMeasure(Tokenize(reference), Tokenize(candidate));

    /// <summary>ROUGE-L F-measure of two token sequences.</summary>
    public static double FMeasure<T>(IReadOnlyList<T> reference, IReadOnlyList<T> candidate)
        where T : IEquatable<T>
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(candidate);
        if (reference.Count == 0 || candidate.Count == 0)
        {
            return 0;
        }

        var lcs = LcsLength(reference, candidate);
        if (lcs == 0)
        {
            return 0;
        }

        var precision = (double)lcs / candidate.Count;
        var recall = (double)lcs / reference.Count;
        return 2 * precision * recall / (precision + recall);
    }

    /// <summary>Length of the longest common subsequence, O(|a|·|b|) time, O(|b|) memory.</summary>
    public static int LcsLength<T>(IReadOnlyList<T> a, IReadOnlyList<T> b)
        where T : IEquatable<T>
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var previous = new int[b.Count + 1];
        var current = new int[b.Count + 1];
        for (var i = 1; i <= a.Count; i++)
        {
            var ai = a[i - 1];
            for (var j = 1; j <= b.Count; j++)
            {
                current[j] = ai.Equals(b[j - 1]) ? previous[j - 1] + 1 : Math.Max(previous[j], current[j - 1]);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Count];
    }
}
