namespace LLMDistill.Generation.Dedupe;

/// <summary>
/// MinHash signatures of token multisets. Repeated tokens are told apart by their occurrence number
/// ("the#1", "the#2"), so the signature estimates the multiset Jaccard similarity, which bounds ROUGE-L from above:
/// ROUGE-L F ≤ multiset Dice = 2J/(1+J), hence F ≥ t implies J ≥ t/(2−t) (0.538 for t = 0.7).
/// </summary>
internal sealed class MinHasher
{
    private readonly ulong[] _seeds;

    public MinHasher(int hashes, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hashes);
        _seeds = new ulong[hashes];
        var state = seed;
        for (var i = 0; i < hashes; i++)
        {
            state = SplitMix64(ref state);
            _seeds[i] = state;
        }
    }

    public int Hashes => _seeds.Length;

    /// <summary>Fills <paramref name="signature"/> (length <see cref="Hashes"/>) for the token ids.</summary>
    public void Signature(ReadOnlySpan<int> tokens, Span<ulong> signature, Dictionary<int, int> occurrenceScratch)
    {
        signature.Fill(ulong.MaxValue);
        occurrenceScratch.Clear();
        foreach (var token in tokens)
        {
            occurrenceScratch.TryGetValue(token, out var occurrence);
            occurrenceScratch[token] = occurrence + 1;
            var element = Mix((((ulong)(uint)token) << 20) ^ (uint)occurrence);
            for (var i = 0; i < _seeds.Length; i++)
            {
                var h = Mix(element ^ _seeds[i]);
                if (h < signature[i])
                {
                    signature[i] = h;
                }
            }
        }
    }

    /// <summary>A strong 64-bit mixer (the finaliser of SplitMix64 / MurmurHash3).</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong SplitMix64(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        return Mix(state);
    }
}
