using System.ComponentModel.DataAnnotations;

namespace LLMDistill.Evaluation.TokenMetrics;

/// <summary>Settings of the token-level aggregation (section <c>Eval:TokenMetrics</c> of appsettings.json).</summary>
public sealed class TokenMetricsOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Eval:TokenMetrics";

    /// <summary>k of top-k agreement.</summary>
    /// <value>Default 5.</value>
    [Range(1, 1000)]
    public int TopK { get; set; } = 5;

    /// <summary>Equal-width confidence bins of the expected calibration error.</summary>
    /// <value>Default 15 (Guo et al., 2017).</value>
    [Range(2, 1000)]
    public int CalibrationBins { get; set; } = 15;

    /// <summary>Bins of the forward-KL histogram.</summary>
    /// <value>Default 40.</value>
    [Range(2, 1000)]
    public int KlHistogramBins { get; set; } = 40;

    /// <summary>Upper edge of the forward-KL histogram in nats; larger values are counted as overflow.</summary>
    /// <value>Default 4.</value>
    [Range(0.01, 1000.0)]
    public double KlHistogramMax { get; set; } = 4.0;

    /// <summary>Lower edges of the position buckets; null for 0, 1, 2–3, 4–7, …</summary>
    /// <value>Default null.</value>
    public IReadOnlyList<int>? PositionBucketEdges { get; set; }

    /// <summary>Lower edges of the sequence-length buckets; null for 1–15, 16–31, 32–63, …</summary>
    /// <value>Default null.</value>
    public IReadOnlyList<int>? LengthBucketEdges { get; set; }

    /// <summary>The position buckets in effect.</summary>
    public BucketScheme PositionBuckets => PositionBucketEdges is { Count: > 0 } e ? new BucketScheme(e) : BucketScheme.Positions;

    /// <summary>The sequence-length buckets in effect.</summary>
    public BucketScheme LengthBuckets => LengthBucketEdges is { Count: > 0 } e ? new BucketScheme(e) : BucketScheme.Lengths;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, edges) in new[] { (nameof(PositionBucketEdges), PositionBucketEdges), (nameof(LengthBucketEdges), LengthBucketEdges) })
        {
            string? error = null;
            try
            {
                _ = edges is { Count: > 0 } ? new BucketScheme(edges) : null;
            }
            catch (ArgumentException ex)
            {
                error = ex.Message;
            }

            if (error is not null)
            {
                yield return new ValidationResult(error, [name]);
            }
        }
    }
}
