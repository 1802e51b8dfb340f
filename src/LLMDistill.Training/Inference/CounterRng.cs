namespace LLMDistill.Inference;

/// <summary>
/// A counter-based random stream (SplitMix64 of seed and step): the uniform a row uses at step t depends only on its
/// seed and t, never on the other rows of the batch, the batch size or the device.
/// </summary>
internal static class CounterRng
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;

    /// <summary>A uniform double in the open interval (0, 1).</summary>
    public static double Uniform(long seed, long step)
    {
        var z = Mix(Mix(unchecked((ulong)seed)) + unchecked((ulong)(step + 1) * Golden));
        return ((z >> 11) + 0.5) * (1.0 / (1UL << 53));
    }

    /// <summary>A fresh seed for rows that did not specify one.</summary>
    public static long NewSeed()
    {
        Span<byte> bytes = stackalloc byte[8];
        System.Security.Cryptography.RandomNumberGenerator.Fill(bytes);
        return BitConverter.ToInt64(bytes);
    }

    private static ulong Mix(ulong z)
    {
        unchecked
        {
            z += Golden;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
