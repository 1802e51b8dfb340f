using System.Numerics;

namespace LLMDistill.Generation.Dedupe;

/// <summary>
/// Longest-common-subsequence length of token-id sequences with the bit-vector algorithm of Allison and Dix (1986) /
/// Hyyrö (2004): one pass over <c>b</c>, <c>ceil(|a|/64)</c> word operations per token, instead of the |a|·|b| table.
/// The pattern (<c>a</c>) is prepared once and compared with many candidates.
/// </summary>
internal sealed class BitParallelLcs
{
    private readonly Dictionary<int, ulong[]> _masks = [];
    private readonly int _length;
    private readonly int _words;
    private readonly ulong[] _v;

    public BitParallelLcs(ReadOnlySpan<int> a)
    {
        _length = a.Length;
        _words = Math.Max(1, (a.Length + 63) / 64);
        _v = new ulong[_words];
        for (var i = 0; i < a.Length; i++)
        {
            if (!_masks.TryGetValue(a[i], out var mask))
            {
                mask = new ulong[_words];
                _masks[a[i]] = mask;
            }

            mask[i >> 6] |= 1UL << (i & 63);
        }
    }

    /// <summary>LCS length of the pattern and <paramref name="b"/>.</summary>
    public int Length(ReadOnlySpan<int> b)
    {
        if (_length == 0 || b.Length == 0)
        {
            return 0;
        }

        Array.Fill(_v, ulong.MaxValue);
        foreach (var token in b)
        {
            if (!_masks.TryGetValue(token, out var match))
            {
                continue; // V & M = 0: V is unchanged
            }

            // V' = (V + (V & M)) | (V & ~M), with the addition carried across words.
            ulong carry = 0;
            for (var w = 0; w < _words; w++)
            {
                var v = _v[w];
                var u = v & match[w];
                var sum = v + u;
                var carryOut = sum < v ? 1UL : 0UL;
                var withCarry = sum + carry;
                carryOut |= withCarry < sum ? 1UL : 0UL;
                _v[w] = withCarry | (v & ~match[w]);
                carry = carryOut;
            }
        }

        // LCS = number of zero bits among the first |a| bits of V.
        var zeros = 0;
        for (var w = 0; w < _words; w++)
        {
            var bits = Math.Min(64, _length - (w * 64));
            var mask = bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
            zeros += bits - BitOperations.PopCount(_v[w] & mask);
        }

        return zeros;
    }
}
