namespace LLMDistill.Evaluation.TokenMetrics;

/// <summary>
/// Pure C# reference math over full next-token distributions given as log-probabilities: log-softmax, KL in both
/// directions, JSD and top-k agreement. The TorchSharp side computes the same quantities batched on tensors; this is
/// the definition its results are tested against, and the path for callers that hold plain arrays.
/// </summary>
public static class DistributionComparison
{
    /// <summary>Numerically stable log-softmax of logits, in double precision.</summary>
    /// <param name="logits">Unnormalised scores, one per vocabulary entry.</param>
    /// <returns>Log-probabilities.</returns>
    public static double[] LogSoftmax(ReadOnlySpan<float> logits)
    {
        if (logits.IsEmpty)
        {
            throw new ArgumentException("logits are empty", nameof(logits));
        }

        var max = double.NegativeInfinity;
        foreach (var l in logits)
        {
            max = Math.Max(max, l);
        }

        var sum = 0.0;
        foreach (var l in logits)
        {
            sum += Math.Exp(l - max);
        }

        var logZ = max + Math.Log(sum);
        var result = new double[logits.Length];
        for (var i = 0; i < logits.Length; i++)
        {
            result[i] = logits[i] - logZ;
        }

        return result;
    }

    /// <summary>Compares the reference distribution P with the compared distribution Q at one position.</summary>
    /// <param name="referenceLogProbs">log P (e.g. the teacher), normalised.</param>
    /// <param name="comparedLogProbs">log Q (e.g. the student), normalised, same vocabulary.</param>
    /// <param name="topK">k of top-k agreement.</param>
    /// <param name="position">The position's index in its sequence.</param>
    /// <param name="sequenceLength">The sequence's length.</param>
    /// <returns>Agreement and divergences; a KL is +∞ where one side gives zero probability to a token the other does not.</returns>
    /// <exception cref="ArgumentException">The vocabularies differ in size or are empty.</exception>
    public static PositionComparison Compare(ReadOnlySpan<double> referenceLogProbs, ReadOnlySpan<double> comparedLogProbs, int topK, int position, int sequenceLength)
    {
        if (referenceLogProbs.Length != comparedLogProbs.Length || referenceLogProbs.IsEmpty)
        {
            throw new ArgumentException($"distributions must have the same non-zero size (got {referenceLogProbs.Length} and {comparedLogProbs.Length})", nameof(comparedLogProbs));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(topK);
        var refTop = ArgMax(referenceLogProbs);
        var cmpTop = ArgMax(comparedLogProbs);

        // Rank of P's top token under Q: how many tokens Q strictly prefers to it.
        var better = 0;
        var threshold = comparedLogProbs[refTop];
        foreach (var lq in comparedLogProbs)
        {
            if (lq > threshold)
            {
                better++;
            }
        }

        double forward = 0, reverse = 0, jsd = 0;
        for (var i = 0; i < referenceLogProbs.Length; i++)
        {
            double lp = referenceLogProbs[i], lq = comparedLogProbs[i];
            var p = Math.Exp(lp);
            var q = Math.Exp(lq);
            if (p > 0)
            {
                forward += p * (lp - lq);
            }

            if (q > 0)
            {
                reverse += q * (lq - lp);
            }

            // log M = logaddexp(log p, log q) - ln 2, computed without underflow.
            var logM = LogAddExp(lp, lq) - Math.Log(2);
            if (p > 0)
            {
                jsd += 0.5 * p * (lp - logM);
            }

            if (q > 0)
            {
                jsd += 0.5 * q * (lq - logM);
            }
        }

        return new PositionComparison(position, sequenceLength, refTop == cmpTop, better < topK, forward, reverse, jsd);
    }

    private static int ArgMax(ReadOnlySpan<double> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }

    private static double LogAddExp(double a, double b)
    {
        if (double.IsNegativeInfinity(a))
        {
            return b;
        }

        if (double.IsNegativeInfinity(b))
        {
            return a;
        }

        var max = Math.Max(a, b);
        return max + Math.Log(Math.Exp(a - max) + Math.Exp(b - max));
    }
}
