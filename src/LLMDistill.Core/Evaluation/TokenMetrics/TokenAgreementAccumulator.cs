namespace LLMDistill.Evaluation.TokenMetrics;

/// <summary>
/// Streams <see cref="PositionComparison"/>s of one model pair into agreement rates, mean divergences, per-bucket
/// agreement and a KL histogram in O(buckets + bins) memory, so 100k positions need not be held. Not thread-safe:
/// give each worker its own accumulator and <see cref="Merge"/> them.
/// </summary>
public sealed class TokenAgreementAccumulator
{
    private readonly BucketScheme _positionBuckets;
    private readonly BucketScheme _lengthBuckets;
    private readonly BucketStats[] _byPosition;
    private readonly BucketStats[] _byLength;
    private readonly HistogramAccumulator _klHistogram;
    private BucketStats _all;
    private double _reverseKlSum;
    private double _jsdSum;

    /// <summary>Creates an empty accumulator for reference P and compared model Q.</summary>
    /// <param name="reference">P's name (usually a teacher).</param>
    /// <param name="compared">Q's name (the student or another teacher).</param>
    /// <param name="options">Top-k, buckets and histogram settings; defaults when null.</param>
    public TokenAgreementAccumulator(string reference, string compared, TokenMetricsOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reference);
        ArgumentException.ThrowIfNullOrWhiteSpace(compared);
        options ??= new TokenMetricsOptions();
        Reference = reference;
        Compared = compared;
        TopK = options.TopK;
        _positionBuckets = options.PositionBuckets;
        _lengthBuckets = options.LengthBuckets;
        _byPosition = new BucketStats[_positionBuckets.Count];
        _byLength = new BucketStats[_lengthBuckets.Count];
        _klHistogram = new HistogramAccumulator(0, options.KlHistogramMax, options.KlHistogramBins);
    }

    /// <summary>P's name.</summary>
    public string Reference { get; }

    /// <summary>Q's name.</summary>
    public string Compared { get; }

    /// <summary>k of top-k agreement (the TorchSharp side must compute <see cref="PositionComparison.TopKAgrees"/> with it).</summary>
    public int TopK { get; }

    /// <summary>Positions added so far.</summary>
    public long Positions => _all.Count;

    /// <summary>Adds one position.</summary>
    /// <param name="comparison">The comparison at that position.</param>
    /// <exception cref="ArgumentOutOfRangeException">The position is negative or not inside its sequence.</exception>
    public void Add(in PositionComparison comparison)
    {
        if (comparison.Position < 0 || comparison.Position >= comparison.SequenceLength)
        {
            throw new ArgumentOutOfRangeException(nameof(comparison), $"position {comparison.Position} is outside a sequence of length {comparison.SequenceLength}");
        }

        var finite = double.IsFinite(comparison.ForwardKl) && double.IsFinite(comparison.ReverseKl) && double.IsFinite(comparison.Jsd);
        _all.Add(comparison, finite);
        _byPosition[_positionBuckets.IndexOf(comparison.Position)].Add(comparison, finite);
        _byLength[_lengthBuckets.IndexOf(Math.Max(comparison.SequenceLength, _lengthBuckets.Lower(0)))].Add(comparison, finite);
        if (finite)
        {
            _reverseKlSum += comparison.ReverseKl;
            _jsdSum += comparison.Jsd;
            _klHistogram.Add(comparison.ForwardKl);
        }
    }

    /// <summary>Adds everything another accumulator of the same pair and settings has seen.</summary>
    /// <param name="other">The other accumulator.</param>
    public void Merge(TokenAgreementAccumulator other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Reference != Reference || other.Compared != Compared || other.TopK != TopK
            || other._byPosition.Length != _byPosition.Length || other._byLength.Length != _byLength.Length)
        {
            throw new ArgumentException($"cannot merge {other.Reference}/{other.Compared} into {Reference}/{Compared}: pair or settings differ", nameof(other));
        }

        _all.Merge(other._all);
        for (var i = 0; i < _byPosition.Length; i++)
        {
            _byPosition[i].Merge(other._byPosition[i]);
        }

        for (var i = 0; i < _byLength.Length; i++)
        {
            _byLength[i].Merge(other._byLength[i]);
        }

        _reverseKlSum += other._reverseKlSum;
        _jsdSum += other._jsdSum;
        _klHistogram.Merge(other._klHistogram);
    }

    /// <summary>The metrics of everything added so far.</summary>
    public TokenAgreementMetrics ToMetrics()
    {
        var finite = _all.Finite;
        return new TokenAgreementMetrics(
            Reference,
            Compared,
            _all.Count,
            TopK,
            _all.Top1Rate,
            _all.TopKRate,
            _all.MeanForwardKl,
            finite == 0 ? 0 : _reverseKlSum / finite,
            finite == 0 ? 0 : _jsdSum / finite,
            _all.Count - finite,
            Buckets(_byPosition, _positionBuckets),
            Buckets(_byLength, _lengthBuckets),
            _klHistogram.ToHistogram());
    }

    private static List<AgreementBucket> Buckets(BucketStats[] stats, BucketScheme scheme)
    {
        var result = new List<AgreementBucket>();
        for (var i = 0; i < stats.Length; i++)
        {
            if (stats[i].Count > 0)
            {
                result.Add(new AgreementBucket(scheme.Label(i), scheme.Lower(i), scheme.Upper(i), stats[i].Count, stats[i].Top1Rate, stats[i].TopKRate, stats[i].MeanForwardKl));
            }
        }

        return result;
    }

    private struct BucketStats
    {
        public long Count;
        public long Finite;
        public long Top1;
        public long TopK;
        public double ForwardKlSum;

        public readonly double Top1Rate => Count == 0 ? 0 : (double)Top1 / Count;

        public readonly double TopKRate => Count == 0 ? 0 : (double)TopK / Count;

        public readonly double MeanForwardKl => Finite == 0 ? 0 : ForwardKlSum / Finite;

        public void Add(in PositionComparison c, bool finite)
        {
            Count++;
            Top1 += c.Top1Agrees ? 1 : 0;
            TopK += c.TopKAgrees ? 1 : 0;
            if (finite)
            {
                Finite++;
                ForwardKlSum += c.ForwardKl;
            }
        }

        public void Merge(in BucketStats other)
        {
            Count += other.Count;
            Finite += other.Finite;
            Top1 += other.Top1;
            TopK += other.TopK;
            ForwardKlSum += other.ForwardKlSum;
        }
    }
}
