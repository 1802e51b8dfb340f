namespace LLMDistill.Evaluation.TokenMetrics;

/// <summary>
/// Streams (confidence, correct) pairs into the expected calibration error and reliability-diagram data with equal-width
/// bins (Guo et al., 2017, "On Calibration of Modern Neural Networks", Eq. 3). Confidence is usually the model's top
/// probability and "correct" whether its top token is the actual next token. Bin b holds confidences in
/// ((b−1)/B, b/B]; confidence 0 falls in the first bin.
/// </summary>
public sealed class CalibrationAccumulator
{
    private readonly long[] _counts;
    private readonly long[] _correct;
    private readonly double[] _confidenceSums;

    /// <summary>Creates an empty accumulator.</summary>
    /// <param name="model">The model's name.</param>
    /// <param name="bins">Number of equal-width bins (15 by default).</param>
    public CalibrationAccumulator(string model, int bins = 15)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        Model = model;
        _counts = new long[bins];
        _correct = new long[bins];
        _confidenceSums = new double[bins];
    }

    /// <summary>The model's name.</summary>
    public string Model { get; }

    /// <summary>Adds one prediction.</summary>
    /// <param name="confidence">Probability the model gave its prediction, in [0, 1].</param>
    /// <param name="correct">Whether the prediction was right.</param>
    /// <exception cref="ArgumentOutOfRangeException">The confidence is outside [0, 1] or NaN.</exception>
    public void Add(double confidence, bool correct)
    {
        if (!(confidence >= 0 && confidence <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), $"confidence must be in [0, 1] (got {confidence})");
        }

        var bin = Math.Clamp((int)Math.Ceiling(confidence * _counts.Length) - 1, 0, _counts.Length - 1);
        _counts[bin]++;
        _correct[bin] += correct ? 1 : 0;
        _confidenceSums[bin] += confidence;
    }

    /// <summary>Adds another accumulator's bins (same model and bin count).</summary>
    public void Merge(CalibrationAccumulator other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other._counts.Length != _counts.Length)
        {
            throw new ArgumentException($"bin counts differ ({other._counts.Length} vs {_counts.Length})", nameof(other));
        }

        for (var b = 0; b < _counts.Length; b++)
        {
            _counts[b] += other._counts[b];
            _correct[b] += other._correct[b];
            _confidenceSums[b] += other._confidenceSums[b];
        }
    }

    /// <summary>ECE, MCE and the reliability bins so far.</summary>
    public CalibrationMetrics ToMetrics()
    {
        var total = _counts.Sum();
        var bins = new ReliabilityBin[_counts.Length];
        double ece = 0, mce = 0;
        for (var b = 0; b < _counts.Length; b++)
        {
            double lower = (double)b / _counts.Length, upper = (double)(b + 1) / _counts.Length;
            if (_counts[b] == 0)
            {
                bins[b] = new ReliabilityBin(lower, upper, 0, null, null);
                continue;
            }

            var accuracy = (double)_correct[b] / _counts[b];
            var confidence = _confidenceSums[b] / _counts[b];
            var gap = Math.Abs(accuracy - confidence);
            ece += (double)_counts[b] / total * gap;
            mce = Math.Max(mce, gap);
            bins[b] = new ReliabilityBin(lower, upper, _counts[b], confidence, accuracy);
        }

        return new CalibrationMetrics(
            Model,
            total,
            total == 0 ? 0 : (double)_correct.Sum() / total,
            total == 0 ? 0 : _confidenceSums.Sum() / total,
            ece,
            mce,
            bins);
    }
}
