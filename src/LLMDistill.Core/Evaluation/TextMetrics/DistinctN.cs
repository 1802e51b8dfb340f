namespace LLMDistill.Evaluation.TextMetrics;

/// <summary>
/// distinct-n (Li et al., 2016, "A Diversity-Promoting Objective Function for Neural Conversation Models"): the number
/// of distinct word n-grams over the total number of word n-grams across all outputs. 1 = no n-gram is ever repeated.
/// </summary>
public static class DistinctN
{
    /// <summary>distinct-n over a corpus of outputs.</summary>
    /// <param name="texts">The outputs.</param>
    /// <param name="n">The n-gram order (1 or 2 in the report).</param>
    /// <returns>A ratio in [0, 1]; 0 when there are no n-grams.</returns>
    public static double Score(IEnumerable<string> texts, int n)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return Score(texts.Select(WordTokenizer.Tokenize), n);
    }

    /// <summary>distinct-n over already tokenized outputs.</summary>
    /// <param name="tokenizedTexts">The outputs as token lists.</param>
    /// <param name="n">The n-gram order.</param>
    /// <returns>A ratio in [0, 1]; 0 when there are no n-grams.</returns>
    public static double Score(IEnumerable<IReadOnlyList<string>> tokenizedTexts, int n)
    {
        ArgumentNullException.ThrowIfNull(tokenizedTexts);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        var distinct = new HashSet<string>(StringComparer.Ordinal);
        long total = 0;
        foreach (var tokens in tokenizedTexts)
        {
            for (var i = 0; i + n <= tokens.Count; i++)
            {
                distinct.Add(NgramCounter.Join(tokens, i, n));
                total++;
            }
        }

        return total == 0 ? 0 : (double)distinct.Count / total;
    }
}
