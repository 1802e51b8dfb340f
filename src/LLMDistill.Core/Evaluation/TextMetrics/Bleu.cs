namespace LLMDistill.Evaluation.TextMetrics;

/// <summary>
/// BLEU (Papineni et al., 2002) exactly as sacreBLEU 2.x computes it (Post, 2018, "A Call for Clarity in Reporting
/// BLEU Scores"): 13a tokenization, clipped n-gram counts against the maximum count over references, the closest
/// reference length (ties to the shorter) for the brevity penalty, and sacreBLEU's smoothing methods.
/// </summary>
public static class Bleu
{
    /// <summary>Sentence BLEU of one hypothesis against its references (sacreBLEU's <c>sentence_bleu</c> defaults).</summary>
    /// <param name="hypothesis">The system output.</param>
    /// <param name="references">One or more references.</param>
    /// <param name="settings">Settings; <see cref="BleuSettings.Sentence"/> when null.</param>
    /// <returns>The score with its statistics.</returns>
    public static BleuScore SentenceScore(string hypothesis, IReadOnlyList<string> references, BleuSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(hypothesis);
        ArgumentNullException.ThrowIfNull(references);
        settings ??= BleuSettings.Sentence;
        var stats = new BleuStatistics(settings.MaxNgramOrder);
        stats.AddSegment(hypothesis, references, settings);
        return stats.Score(settings);
    }

    /// <summary>Corpus BLEU: statistics are summed over all segments before the score is computed.</summary>
    /// <param name="hypotheses">One system output per segment.</param>
    /// <param name="referenceStreams">One or more reference streams, each with one reference per segment (sacreBLEU's layout).</param>
    /// <param name="settings">Settings; <see cref="BleuSettings.Corpus"/> when null.</param>
    /// <returns>The corpus score with its statistics.</returns>
    /// <exception cref="ArgumentException">A reference stream does not have one entry per hypothesis.</exception>
    public static BleuScore CorpusScore(IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string>> referenceStreams, BleuSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(hypotheses);
        ArgumentNullException.ThrowIfNull(referenceStreams);
        if (referenceStreams.Count == 0)
        {
            throw new ArgumentException("at least one reference stream is required", nameof(referenceStreams));
        }

        foreach (var stream in referenceStreams)
        {
            if (stream.Count != hypotheses.Count)
            {
                throw new ArgumentException($"a reference stream has {stream.Count} segments but there are {hypotheses.Count} hypotheses", nameof(referenceStreams));
            }
        }

        settings ??= BleuSettings.Corpus;
        var stats = new BleuStatistics(settings.MaxNgramOrder);
        var refs = new string[referenceStreams.Count];
        for (var i = 0; i < hypotheses.Count; i++)
        {
            for (var r = 0; r < refs.Length; r++)
            {
                refs[r] = referenceStreams[r][i];
            }

            stats.AddSegment(hypotheses[i], refs, settings);
        }

        return stats.Score(settings);
    }

    /// <summary>
    /// BLEU from sufficient statistics (sacreBLEU's <c>compute_bleu</c>), for callers that aggregate their own counts.
    /// </summary>
    /// <param name="correct">Clipped matches per order.</param>
    /// <param name="total">Hypothesis n-grams per order.</param>
    /// <param name="hypothesisLength">Hypothesis tokens.</param>
    /// <param name="referenceLength">Reference tokens.</param>
    /// <param name="settings">Smoothing, effective order and max order; the tokenizer is not used.</param>
    /// <returns>The score.</returns>
    public static BleuScore Compute(IReadOnlyList<long> correct, IReadOnlyList<long> total, long hypothesisLength, long referenceLength, BleuSettings settings)
    {
        ArgumentNullException.ThrowIfNull(correct);
        ArgumentNullException.ThrowIfNull(total);
        ArgumentNullException.ThrowIfNull(settings);
        var order = settings.MaxNgramOrder;
        if (correct.Count != order || total.Count != order)
        {
            throw new ArgumentException($"expected {order} counts per list (got {correct.Count} and {total.Count})", nameof(correct));
        }

        var smoothValue = settings.SmoothValue ?? (settings.Smoothing == BleuSmoothing.AddK ? 1.0 : 0.1);
        var bp = hypothesisLength >= referenceLength ? 1.0
            : hypothesisLength > 0 ? Math.Exp(1 - ((double)referenceLength / hypothesisLength)) : 0.0;
        var precisions = new double[order];
        var result = new BleuScore(0, correct, total, precisions, bp, hypothesisLength, referenceLength);

        // sacreBLEU stops early when nothing matches at all, whatever the smoothing (its issue #141).
        if (correct.All(c => c == 0))
        {
            return result;
        }

        var smoothMteval = 1.0;
        var effectiveOrder = order;
        for (var n = 1; n <= order; n++)
        {
            double matches = correct[n - 1];
            double totals = total[n - 1];
            if (settings.Smoothing == BleuSmoothing.AddK && n > 1)
            {
                matches += smoothValue;
                totals += smoothValue;
            }

            if (totals == 0)
            {
                break;
            }

            if (settings.EffectiveOrder)
            {
                effectiveOrder = n;
            }

            if (matches == 0)
            {
                if (settings.Smoothing == BleuSmoothing.Exp)
                {
                    smoothMteval *= 2;
                    precisions[n - 1] = 100.0 / (smoothMteval * totals);
                }
                else if (settings.Smoothing == BleuSmoothing.Floor)
                {
                    precisions[n - 1] = 100.0 * smoothValue / totals;
                }
            }
            else
            {
                precisions[n - 1] = 100.0 * matches / totals;
            }
        }

        // sacreBLEU's my_log: log(0) is replaced by a huge negative number, so the score underflows to 0.
        var logSum = 0.0;
        for (var n = 0; n < effectiveOrder; n++)
        {
            logSum += precisions[n] > 0 ? Math.Log(precisions[n]) : -9999999999.0;
        }

        return result with { Score = bp * Math.Exp(logSum / effectiveOrder) };
    }
}
