using System.Globalization;

namespace LLMDistill.Evaluation.TextMetrics;

/// <summary>
/// chrF and chrF++ (Popović, 2015 and 2017) exactly as sacreBLEU 2.x computes them: character n-grams of code points
/// with whitespace removed, optional word n-grams with sacreBLEU's punctuation splitting, the best reference per segment,
/// corpus statistics summed before scoring, and sacreBLEU's effective-order (default) or epsilon-smoothed averaging.
/// </summary>
public static class ChrF
{
    private const double Epsilon = 1e-16;
    private const string Punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    /// <summary>chrF of one hypothesis against its references (the best-scoring reference counts).</summary>
    /// <param name="hypothesis">The system output.</param>
    /// <param name="references">One or more references.</param>
    /// <param name="settings">Settings; chrF2 when null.</param>
    /// <returns>chrF in [0, 100].</returns>
    public static double SentenceScore(string hypothesis, IReadOnlyList<string> references, ChrFSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(hypothesis);
        ArgumentNullException.ThrowIfNull(references);
        settings ??= ChrFSettings.ChrF;
        return FScore(SegmentStatistics(hypothesis, references, settings), settings);
    }

    /// <summary>Corpus chrF: the statistics of the best reference of each segment are summed, then scored.</summary>
    /// <param name="hypotheses">One system output per segment.</param>
    /// <param name="referenceStreams">One or more reference streams with one reference per segment (sacreBLEU's layout).</param>
    /// <param name="settings">Settings; chrF2 when null.</param>
    /// <returns>chrF in [0, 100].</returns>
    /// <exception cref="ArgumentException">A reference stream does not have one entry per hypothesis.</exception>
    public static double CorpusScore(IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string>> referenceStreams, ChrFSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(hypotheses);
        ArgumentNullException.ThrowIfNull(referenceStreams);
        if (referenceStreams.Count == 0 || referenceStreams.Any(s => s.Count != hypotheses.Count))
        {
            throw new ArgumentException($"every reference stream needs one reference per hypothesis ({hypotheses.Count})", nameof(referenceStreams));
        }

        settings ??= ChrFSettings.ChrF;
        var total = new long[3 * (settings.CharOrder + settings.WordOrder)];
        var refs = new string[referenceStreams.Count];
        for (var i = 0; i < hypotheses.Count; i++)
        {
            for (var r = 0; r < refs.Length; r++)
            {
                refs[r] = referenceStreams[r][i];
            }

            var stats = SegmentStatistics(hypotheses[i], refs, settings);
            for (var k = 0; k < total.Length; k++)
            {
                total[k] += stats[k];
            }
        }

        return FScore(total, settings);
    }

    private static long[] SegmentStatistics(string hypothesis, IReadOnlyList<string> references, ChrFSettings settings)
    {
        if (references.Count == 0)
        {
            throw new ArgumentException("at least one reference is required", nameof(references));
        }

        var hypNgrams = Extract(hypothesis, settings);
        long[]? best = null;
        var bestF = -1.0;
        foreach (var reference in references)
        {
            var refNgrams = Extract(reference, settings);
            var stats = new long[3 * hypNgrams.Length];
            for (var i = 0; i < hypNgrams.Length; i++)
            {
                long hypCount = 0, matches = 0;
                foreach (var (ngram, count) in hypNgrams[i])
                {
                    hypCount += count;
                    if (refNgrams[i].TryGetValue(ngram, out var refCount))
                    {
                        matches += Math.Min(count, refCount);
                    }
                }

                // As sacreBLEU: hypothesis n-grams do not count for an order the reference has none of.
                stats[3 * i] = refNgrams[i].Count > 0 ? hypCount : 0;
                stats[(3 * i) + 1] = refNgrams[i].Values.Sum();
                stats[(3 * i) + 2] = matches;
            }

            var f = FScore(stats, settings);
            if (f > bestF)
            {
                bestF = f;
                best = stats;
            }
        }

        return best!;
    }

    private static Dictionary<string, int>[] Extract(string text, ChrFSettings settings)
    {
        if (settings.Lowercase)
        {
            text = text.ToLowerInvariant();
        }

        var result = new Dictionary<string, int>[settings.CharOrder + settings.WordOrder];
        var chars = settings.Whitespace ? text : SacreBleuTokenizer.RemoveWhitespace(text);

        // Python indexes strings by code point, so n-grams are taken over text elements of one code point each.
        var bounds = CodePointBounds(chars);
        var length = bounds.Length - 1;
        for (var n = 1; n <= settings.CharOrder; n++)
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i + n <= length; i++)
            {
                var ngram = chars.Substring(bounds[i], bounds[i + n] - bounds[i]);
                counts[ngram] = counts.GetValueOrDefault(ngram) + 1;
            }

            result[n - 1] = counts;
        }

        if (settings.WordOrder > 0)
        {
            var words = SplitPunctuation(text);
            for (var n = 1; n <= settings.WordOrder; n++)
            {
                result[settings.CharOrder + n - 1] = NgramCounter.Count(words, n, n);
            }
        }

        return result;
    }

    // sacreBLEU's chrF++ word splitting: one leading or trailing punctuation character is split off each word.
    private static List<string> SplitPunctuation(string text)
    {
        var tokens = new List<string>();
        foreach (var word in SacreBleuTokenizer.SplitPython(text))
        {
            if (word.Length == 1)
            {
                tokens.Add(word);
            }
            else if (Punctuation.Contains(word[^1], StringComparison.Ordinal))
            {
                tokens.Add(word[..^1]);
                tokens.Add(word[^1..]);
            }
            else if (Punctuation.Contains(word[0], StringComparison.Ordinal))
            {
                tokens.Add(word[..1]);
                tokens.Add(word[1..]);
            }
            else
            {
                tokens.Add(word);
            }
        }

        return tokens;
    }

    private static int[] CodePointBounds(string text)
    {
        var bounds = new List<int>(text.Length + 1) { 0 };
        for (var i = 0; i < text.Length;)
        {
            i += char.IsSurrogatePair(text, i) ? 2 : 1;
            bounds.Add(i);
        }

        return [.. bounds];
    }

    private static double FScore(long[] stats, ChrFSettings settings)
    {
        var order = stats.Length / 3;
        var factor = settings.Beta * settings.Beta;
        double score = 0, avgPrecision = 0, avgRecall = 0;
        var effectiveOrder = 0;
        for (var i = 0; i < order; i++)
        {
            long nHyp = stats[3 * i], nRef = stats[(3 * i) + 1], nMatch = stats[(3 * i) + 2];
            var precision = nHyp > 0 ? (double)nMatch / nHyp : Epsilon;
            var recall = nRef > 0 ? (double)nMatch / nRef : Epsilon;
            var denominator = (factor * precision) + recall;
            score += denominator > 0 ? (1 + factor) * precision * recall / denominator : Epsilon;
            if (nHyp > 0 && nRef > 0)
            {
                avgPrecision += precision;
                avgRecall += recall;
                effectiveOrder++;
            }
        }

        if (settings.EpsSmoothing)
        {
            return 100 * score / order;
        }

        if (effectiveOrder == 0)
        {
            return 0;
        }

        avgPrecision /= effectiveOrder;
        avgRecall /= effectiveOrder;
        if (avgPrecision + avgRecall == 0)
        {
            return 0;
        }

        return 100 * (1 + factor) * avgPrecision * avgRecall / ((factor * avgPrecision) + avgRecall);
    }

    internal static string Describe(ChrFSettings settings)
        => string.Create(CultureInfo.InvariantCulture, $"chrF{settings.Beta}{new string('+', Math.Min(settings.WordOrder, 2))}");
}
