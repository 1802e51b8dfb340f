namespace LLMDistill.Evaluation.TextMetrics;

/// <summary>Running BLEU sufficient statistics (lengths, clipped matches and totals per order); O(order) memory.</summary>
internal sealed class BleuStatistics
{
    private readonly long[] _correct;
    private readonly long[] _total;
    private long _hypothesisLength;
    private long _referenceLength;

    public BleuStatistics(int maxOrder)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxOrder);
        _correct = new long[maxOrder];
        _total = new long[maxOrder];
    }

    /// <summary>Adds one hypothesis scored against its references.</summary>
    public void AddSegment(string hypothesis, IReadOnlyList<string> references, BleuSettings settings)
    {
        if (references.Count == 0)
        {
            throw new ArgumentException("at least one reference is required", nameof(references));
        }

        var order = _correct.Length;
        Dictionary<string, int>? refMax = null;
        var refLengths = new int[references.Count];
        for (var r = 0; r < references.Count; r++)
        {
            var refTokens = SacreBleuTokenizer.Tokenize(references[r], settings.Tokenizer, settings.Lowercase);
            refLengths[r] = refTokens.Length;
            var counts = NgramCounter.Count(refTokens, 1, order);
            if (refMax is null)
            {
                refMax = counts;
                continue;
            }

            foreach (var (ngram, count) in counts)
            {
                if (count > refMax.GetValueOrDefault(ngram))
                {
                    refMax[ngram] = count;
                }
            }
        }

        var hypTokens = SacreBleuTokenizer.Tokenize(hypothesis, settings.Tokenizer, settings.Lowercase);
        AddCounts(hypTokens, refMax!, ClosestReferenceLength(hypTokens.Length, refLengths));
    }

    /// <summary>Adds a tokenized hypothesis given the reference n-gram maxima and the reference length to use.</summary>
    public void AddCounts(IReadOnlyList<string> hypTokens, IReadOnlyDictionary<string, int> referenceMaxCounts, int referenceLength)
    {
        var order = _correct.Length;
        _hypothesisLength += hypTokens.Count;
        _referenceLength += referenceLength;
        for (var n = 1; n <= order; n++)
        {
            _total[n - 1] += Math.Max(0, hypTokens.Count - n + 1);
        }

        foreach (var (ngram, count) in NgramCounter.Count(hypTokens, 1, order))
        {
            if (referenceMaxCounts.TryGetValue(ngram, out var refCount))
            {
                _correct[NgramCounter.OrderOf(ngram) - 1] += Math.Min(count, refCount);
            }
        }
    }

    /// <summary>Adds precomputed clipped matches for one hypothesis (used by self-BLEU).</summary>
    public void AddRaw(long hypothesisLength, long referenceLength, ReadOnlySpan<long> correct, ReadOnlySpan<long> total)
    {
        _hypothesisLength += hypothesisLength;
        _referenceLength += referenceLength;
        for (var n = 0; n < _correct.Length; n++)
        {
            _correct[n] += correct[n];
            _total[n] += total[n];
        }
    }

    public BleuScore Score(BleuSettings settings) => Bleu.Compute(_correct.ToArray(), _total.ToArray(), _hypothesisLength, _referenceLength, settings);

    /// <summary>sacreBLEU's closest reference length: the smallest |hyp - ref|, ties broken towards the shorter reference.</summary>
    public static int ClosestReferenceLength(int hypothesisLength, IReadOnlyList<int> referenceLengths)
    {
        var closestDiff = -1;
        var closestLength = -1;
        foreach (var length in referenceLengths)
        {
            var diff = Math.Abs(hypothesisLength - length);
            if (closestDiff == -1 || diff < closestDiff)
            {
                closestDiff = diff;
                closestLength = length;
            }
            else if (diff == closestDiff && length < closestLength)
            {
                closestLength = length;
            }
        }

        return closestLength;
    }
}
