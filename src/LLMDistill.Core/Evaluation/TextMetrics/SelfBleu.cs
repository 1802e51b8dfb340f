namespace LLMDistill.Evaluation.TextMetrics;

/// <summary>
/// Self-BLEU (Zhu et al., 2018, "Texygen"): the mean sentence BLEU of each output against all the other outputs as
/// references. High self-BLEU means the outputs resemble each other (low diversity); 100 = all identical.
/// </summary>
/// <remarks>
/// Exactly the multi-reference sentence BLEU of sacreBLEU for every output, computed in O(total n-grams) rather than
/// O(N²): the clipping count of an n-gram against "all others" is its largest count in any other output, which is the
/// overall maximum unless this output holds it, in which case it is the second largest.
/// </remarks>
public static class SelfBleu
{
    /// <summary>Self-BLEU of a set of outputs.</summary>
    /// <param name="texts">The outputs (at least two for a score).</param>
    /// <param name="settings">Sentence BLEU settings; sacreBLEU's sentence defaults when null.</param>
    /// <returns>Self-BLEU in [0, 100], or null for fewer than two outputs.</returns>
    public static double? Score(IReadOnlyList<string> texts, BleuSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(texts);
        settings ??= BleuSettings.Sentence;
        if (texts.Count < 2)
        {
            return null;
        }

        var order = settings.MaxNgramOrder;
        var tokens = texts.Select(t => SacreBleuTokenizer.Tokenize(t, settings.Tokenizer, settings.Lowercase)).ToArray();
        var counts = tokens.Select(t => NgramCounter.Count(t, 1, order)).ToArray();

        // Per n-gram: the largest count, which output holds it, and the second largest count.
        var best = new Dictionary<string, (int Max, int Holder, int Second)>(StringComparer.Ordinal);
        for (var i = 0; i < counts.Length; i++)
        {
            foreach (var (ngram, count) in counts[i])
            {
                if (!best.TryGetValue(ngram, out var entry))
                {
                    best[ngram] = (count, i, 0);
                }
                else if (count > entry.Max)
                {
                    best[ngram] = (count, i, entry.Max);
                }
                else if (count > entry.Second)
                {
                    best[ngram] = entry with { Second = count };
                }
            }
        }

        var lengths = tokens.Select(t => t.Length).ToArray();
        var otherLengths = new List<int>(lengths.Length);
        var correct = new long[order];
        var total = new long[order];
        var sum = 0.0;
        for (var i = 0; i < tokens.Length; i++)
        {
            Array.Clear(correct);
            for (var n = 1; n <= order; n++)
            {
                total[n - 1] = Math.Max(0, lengths[i] - n + 1);
            }

            foreach (var (ngram, count) in counts[i])
            {
                var entry = best[ngram];
                var others = entry.Holder == i ? entry.Second : entry.Max;
                correct[NgramCounter.OrderOf(ngram) - 1] += Math.Min(count, others);
            }

            otherLengths.Clear();
            for (var j = 0; j < lengths.Length; j++)
            {
                if (j != i)
                {
                    otherLengths.Add(lengths[j]);
                }
            }

            var stats = new BleuStatistics(order);
            stats.AddRaw(lengths[i], BleuStatistics.ClosestReferenceLength(lengths[i], otherLengths), correct, total);
            sum += stats.Score(settings).Score;
        }

        return sum / tokens.Length;
    }
}
