using System.Security.Cryptography;
using System.Text;
using LLMDistill.Text;

namespace LLMDistill.Generation;

/// <summary>Stable content hashes: the same text gives the same id in every process, run and machine.</summary>
public static class ContentHash
{
    /// <summary>16 hex digits (64 bits) of SHA-256 over the parts joined by a separator that cannot occur in text.</summary>
    public static string Of(params string?[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var joined = string.Join('\u0001', parts.Select(p => p ?? "\u0002"));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(joined)))[..16];
    }

    /// <summary>A non-negative 31-bit integer derived from the parts (per-task sampling seeds).</summary>
    public static int SeedOf(params string?[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var joined = string.Join('\u0001', parts.Select(p => p ?? "\u0002"));
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(joined));
        return BitConverter.ToInt32(bytes, 0) & int.MaxValue;
    }

    /// <summary>Normalised form for exact-duplicate detection: ROUGE tokens (lower-case letter/digit runs) joined by spaces.</summary>
    public static string Normalize(string text) => string.Join(' ', RougeL.Tokenize(text));
}
