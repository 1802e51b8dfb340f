namespace LLMDistill.Training.Data;

/// <summary>
/// Deterministic hashing and random numbers that depend only on their inputs (seed, step, index), so a resumed run
/// draws exactly what the uninterrupted run would have without saving generator state.
/// </summary>
internal static class StableHash
{
    /// <summary>SplitMix64 finaliser: a well-mixed 64-bit value of <paramref name="x"/>.</summary>
    public static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    /// <summary>A hash of several integers.</summary>
    public static ulong Combine(params ReadOnlySpan<long> values)
    {
        var h = 0x243F6A8885A308D3UL;
        foreach (var v in values)
        {
            h = Mix(h ^ (ulong)v);
        }

        return h;
    }

    /// <summary>A uniform double in [0, 1) determined by <paramref name="values"/>.</summary>
    public static double Uniform(params ReadOnlySpan<long> values) => (Combine(values) >> 11) * (1.0 / (1UL << 53));

    /// <summary>FNV-1a 64 of a string (stable across processes, unlike <see cref="string.GetHashCode()"/>).</summary>
    public static ulong Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var h = 0xCBF29CE484222325UL;
        foreach (var c in text)
        {
            h = (h ^ c) * 0x100000001B3UL;
        }

        return Mix(h);
    }

    /// <summary>A Fisher-Yates permutation of 0..count-1 determined by <paramref name="seed"/>.</summary>
    public static int[] Permutation(int count, long seed)
    {
        var order = Enumerable.Range(0, count).ToArray();
        var state = (ulong)seed;
        for (var i = count - 1; i > 0; i--)
        {
            state = Mix(state);
            var j = (int)(state % (ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }

        return order;
    }
}
