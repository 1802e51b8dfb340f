using System.ComponentModel.DataAnnotations;

namespace LLMDistill.Generation;

/// <summary>
/// <c>Generate:Filter</c>: which scored samples are kept. Samples are decided in task order: first the threshold, then
/// the top fraction within consecutive windows of <see cref="Window"/> tasks (a window is decided once it is full, so
/// the choice does not depend on timing), then the quota, then the target count.
/// </summary>
public sealed class FilterOptions
{
    /// <summary>Samples whose combined score is below this are rejected (<c>filter:below-threshold</c>).</summary>
    /// <value>0.</value>
    [Range(0.0, 1.0)]
    public double MinScore { get; set; }

    /// <summary>Fraction of each window kept, best combined scores first (<c>filter:top-fraction</c>); 1 keeps all.</summary>
    /// <value>1.</value>
    [Range(0.001, 1.0)]
    public double TopFraction { get; set; } = 1.0;

    /// <summary>Tasks per top-fraction window.</summary>
    /// <value>200.</value>
    [Range(1, 1_000_000)]
    public int Window { get; set; } = 200;

    /// <summary>Diversity quota: none, per seed, or per category.</summary>
    /// <value>None.</value>
    public QuotaMode Quota { get; set; } = QuotaMode.None;

    /// <summary>Largest share of the target one seed or category may fill (<c>filter:quota</c>); at least one sample each.</summary>
    /// <value>0.25.</value>
    [Range(0.0001, 1.0)]
    public double MaxQuotaFraction { get; set; } = 0.25;
}
