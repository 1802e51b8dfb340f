namespace LLMDistill.Evaluation.TokenMetrics;

/// <summary>
/// Compares a reference model known only by its top-k log-probabilities (an API teacher's <c>top_logprobs</c>, or
/// top-k stored with a dataset row) with a compared model's full distribution. The divergences are those of the
/// coarse-grained distributions over the k listed tokens plus one "everything else" bucket, so by the data-processing
/// inequality they are lower bounds of the full KL and JSD.
/// </summary>
public static class SparseDistributionComparison
{
    /// <summary>Compares P (sparse top-k) with Q (full) at one position.</summary>
    /// <param name="referenceTop">P's listed tokens as (token id in Q's vocabulary, log-probability), any order, distinct ids.</param>
    /// <param name="comparedLogProbs">log Q over the whole vocabulary, normalised.</param>
    /// <param name="topK">k of top-k agreement (P's top token among Q's k most likely).</param>
    /// <param name="position">The position's index in its sequence.</param>
    /// <param name="sequenceLength">The sequence's length.</param>
    /// <returns>The comparison; KL values are lower bounds of the full-distribution values.</returns>
    /// <exception cref="ArgumentException">No listed tokens, an id outside Q's vocabulary, a repeated id, or listed mass above 1.</exception>
    public static PositionComparison Compare(IReadOnlyList<(int TokenId, double Logprob)> referenceTop, ReadOnlySpan<double> comparedLogProbs, int topK, int position, int sequenceLength)
    {
        ArgumentNullException.ThrowIfNull(referenceTop);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(topK);
        if (referenceTop.Count == 0)
        {
            throw new ArgumentException("the reference lists no tokens", nameof(referenceTop));
        }

        var seen = new HashSet<int>();
        double pListed = 0, qListed = 0;
        var refTop = referenceTop[0];
        foreach (var (id, logprob) in referenceTop)
        {
            if (id < 0 || id >= comparedLogProbs.Length || !seen.Add(id))
            {
                throw new ArgumentException($"token id {id} is repeated or outside the compared vocabulary of {comparedLogProbs.Length}", nameof(referenceTop));
            }

            pListed += Math.Exp(logprob);
            qListed += Math.Exp(comparedLogProbs[id]);
            if (logprob > refTop.Logprob)
            {
                refTop = (id, logprob);
            }
        }

        // Rounding in the API's logprobs can push the listed mass a hair above 1.
        if (pListed > 1 + 1e-6)
        {
            throw new ArgumentException($"listed reference probabilities sum to {pListed:0.######} > 1", nameof(referenceTop));
        }

        var p = new double[referenceTop.Count + 1];
        var q = new double[referenceTop.Count + 1];
        for (var i = 0; i < referenceTop.Count; i++)
        {
            p[i] = referenceTop[i].Logprob;
            q[i] = comparedLogProbs[referenceTop[i].TokenId];
        }

        p[^1] = Math.Log(Math.Max(0, 1 - Math.Min(1, pListed)));
        q[^1] = Math.Log(Math.Max(0, 1 - Math.Min(1, qListed)));
        var coarse = DistributionComparison.Compare(p, q, 1, position, sequenceLength);

        // Agreement uses the real argmax of Q and the rank of P's top token under Q.
        var cmpTop = 0;
        var better = 0;
        var threshold = comparedLogProbs[refTop.TokenId];
        for (var i = 0; i < comparedLogProbs.Length; i++)
        {
            if (comparedLogProbs[i] > comparedLogProbs[cmpTop])
            {
                cmpTop = i;
            }

            if (comparedLogProbs[i] > threshold)
            {
                better++;
            }
        }

        return coarse with { Top1Agrees = cmpTop == refTop.TokenId, TopKAgrees = better < topK };
    }
}
