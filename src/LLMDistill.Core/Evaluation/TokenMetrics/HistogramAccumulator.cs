namespace LLMDistill.Evaluation.TokenMetrics;

/// <summary>Streaming equal-width histogram: O(bins) memory whatever the number of values.</summary>
public sealed class HistogramAccumulator
{
    private readonly double _min;
    private readonly double _max;
    private readonly long[] _counts;
    private long _overflow;

    /// <summary>Creates an empty histogram over [min, max) with the given number of bins.</summary>
    /// <exception cref="ArgumentOutOfRangeException">bins is not positive or max is not above min.</exception>
    public HistogramAccumulator(double min, double max, int bins)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bins);
        if (!(max > min) || double.IsInfinity(max) || double.IsInfinity(min))
        {
            throw new ArgumentOutOfRangeException(nameof(max), $"histogram range must be finite with max > min (got [{min}, {max}))");
        }

        _min = min;
        _max = max;
        _counts = new long[bins];
    }

    /// <summary>Adds one value; NaN is ignored, values below the range go to the first bin.</summary>
    public void Add(double value)
    {
        if (double.IsNaN(value))
        {
            return;
        }

        if (value >= _max)
        {
            _overflow++;
            return;
        }

        var index = (int)Math.Floor((value - _min) / (_max - _min) * _counts.Length);
        _counts[Math.Clamp(index, 0, _counts.Length - 1)]++;
    }

    /// <summary>Adds the counts of another accumulator with the same range and bins.</summary>
    public void Merge(HistogramAccumulator other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other._counts.Length != _counts.Length || other._min != _min || other._max != _max)
        {
            throw new ArgumentException("histograms differ in range or bins", nameof(other));
        }

        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        _overflow += other._overflow;
    }

    /// <summary>A snapshot of the counts.</summary>
    public Histogram ToHistogram()
    {
        var edges = new double[_counts.Length + 1];
        for (var i = 0; i <= _counts.Length; i++)
        {
            edges[i] = _min + ((_max - _min) * i / _counts.Length);
        }

        return new Histogram(edges, [.. _counts], _overflow);
    }
}
