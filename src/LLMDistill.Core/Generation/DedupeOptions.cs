using System.ComponentModel.DataAnnotations;

namespace LLMDistill.Generation;

/// <summary><c>Generate:Dedupe</c>: exact and near-duplicate removal of tasks.</summary>
public sealed class DedupeOptions
{
    /// <summary>A task whose ROUGE-L F-measure with any kept task reaches this is a near duplicate (Self-Instruct: 0.7).</summary>
    /// <value>0.7.</value>
    [Range(0.05, 1.0)]
    public double RougeLThreshold { get; set; } = 0.7;

    /// <summary>MinHash LSH bands. With <see cref="MinHashRows"/> 4 and 64 bands a pair at the threshold's Jaccard lower bound is a candidate with probability 0.996.</summary>
    /// <value>64.</value>
    [Range(1, 1024)]
    public int MinHashBands { get; set; } = 64;

    /// <summary>MinHash rows per band.</summary>
    /// <value>4.</value>
    [Range(1, 32)]
    public int MinHashRows { get; set; } = 4;
}
