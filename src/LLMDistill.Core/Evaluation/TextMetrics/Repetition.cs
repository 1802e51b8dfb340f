namespace LLMDistill.Evaluation.TextMetrics;

/// <summary>
/// Repetition inside single outputs, the typical failure of small students: repeated n-grams and degenerate loops.
/// </summary>
public static class Repetition
{
    /// <summary>
    /// Fraction of an output's word n-grams that repeat an earlier n-gram of the same output:
    /// (total − distinct) / total. 0 = no repeats; close to 1 = the output is one phrase over and over.
    /// </summary>
    /// <param name="tokens">The output's words.</param>
    /// <param name="n">The n-gram order (4 in the report).</param>
    /// <returns>A rate in [0, 1]; 0 for outputs shorter than n.</returns>
    public static double RepeatedNgramRate(IReadOnlyList<string> tokens, int n = 4)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        var total = tokens.Count - n + 1;
        if (total <= 0)
        {
            return 0;
        }

        var distinct = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < total; i++)
        {
            distinct.Add(NgramCounter.Join(tokens, i, n));
        }

        return (double)(total - distinct.Count) / total;
    }

    /// <summary>
    /// True when the output ends in a loop: its tail is one unit of 1 to <paramref name="maxPeriod"/> words repeated
    /// at least three times and spanning at least <paramref name="minSpan"/> words (the last repeat may be cut off),
    /// e.g. "... to be or not to be or not to be or not".
    /// </summary>
    /// <param name="tokens">The output's words.</param>
    /// <param name="maxPeriod">Longest repeating unit, in words.</param>
    /// <param name="minSpan">Fewest words the loop must cover, so "ha ha ha" alone is not a loop.</param>
    /// <returns>Whether the tail loops.</returns>
    public static bool EndsInLoop(IReadOnlyList<string> tokens, int maxPeriod = 16, int minSpan = 8)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var n = tokens.Count;
        for (var period = 1; period <= maxPeriod && 2 * period <= n; period++)
        {
            // Walk back from the end while each word equals the word one period later.
            var run = 0;
            while (n - 1 - run - period >= 0 && string.Equals(tokens[n - 1 - run], tokens[n - 1 - run - period], StringComparison.Ordinal))
            {
                run++;
            }

            var span = run + period;
            if (span >= 3 * period && span >= minSpan)
            {
                return true;
            }
        }

        return false;
    }
}
