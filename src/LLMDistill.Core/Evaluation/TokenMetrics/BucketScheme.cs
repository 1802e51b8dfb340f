using System.Globalization;

namespace LLMDistill.Evaluation.TokenMetrics;

/// <summary>
/// Half-open buckets [edge_i, edge_{i+1}) over non-negative integers, the last one open-ended; used for token
/// positions and sequence lengths.
/// </summary>
public sealed class BucketScheme
{
    private readonly int[] _edges;

    /// <summary>Creates a scheme from ascending lower edges.</summary>
    /// <param name="edges">Strictly ascending, non-negative lower edges; the first is the smallest value accepted.</param>
    /// <exception cref="ArgumentException">The edges are empty, negative or not strictly ascending.</exception>
    public BucketScheme(IReadOnlyList<int> edges)
    {
        ArgumentNullException.ThrowIfNull(edges);
        if (edges.Count == 0 || edges[0] < 0)
        {
            throw new ArgumentException("bucket edges must be a non-empty list of non-negative integers", nameof(edges));
        }

        for (var i = 1; i < edges.Count; i++)
        {
            if (edges[i] <= edges[i - 1])
            {
                throw new ArgumentException($"bucket edges must be strictly ascending (got {edges[i - 1]} then {edges[i]})", nameof(edges));
            }
        }

        _edges = [.. edges];
    }

    /// <summary>Token positions: 0, 1, 2–3, 4–7, … , 4096+.</summary>
    public static BucketScheme Positions { get; } = new([0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096]);

    /// <summary>Sequence lengths: 1–15, 16–31, … , 4096+.</summary>
    public static BucketScheme Lengths { get; } = new([1, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096]);

    /// <summary>Number of buckets.</summary>
    public int Count => _edges.Length;

    /// <summary>The bucket of a value.</summary>
    /// <param name="value">A value at least the first edge.</param>
    /// <returns>The bucket index.</returns>
    public int IndexOf(int value)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(value, _edges[0]);
        var index = Array.BinarySearch(_edges, value);
        return index >= 0 ? index : ~index - 1;
    }

    /// <summary>Inclusive lower bound of a bucket.</summary>
    public int Lower(int index) => _edges[index];

    /// <summary>Inclusive upper bound of a bucket, or null for the last (open-ended) one.</summary>
    public int? Upper(int index) => index + 1 < _edges.Length ? _edges[index + 1] - 1 : null;

    /// <summary>A readable label: "7", "8–15" or "4096+".</summary>
    public string Label(int index)
    {
        var lower = Lower(index);
        var upper = Upper(index);
        return upper is null ? string.Create(CultureInfo.InvariantCulture, $"{lower}+")
            : upper == lower ? lower.ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{lower}–{upper}");
    }
}
