using System.Numerics.Tensors;
using LLMDistill.Generation.Dedupe;

namespace LLMDistill.Generation.Selection;

/// <summary>
/// Unit-length TF-IDF vectors of texts without a vocabulary: lower-cased word n-grams are hashed to 64 bits, weighted by
/// sublinear term frequency (1 + ln tf) times smoothed IDF (ln((1 + N) / (1 + df)) + 1, as scikit-learn), and summed
/// into a fixed number of dimensions with a hash-chosen sign (feature hashing, Weinberger et al. 2009), which keeps
/// inner products unbiased. A text without words gets the zero vector (cosine 0 to everything).
/// </summary>
public static class HashedTfIdf
{
    /// <summary>Vectors of <paramref name="texts"/>, row-major: row i is <c>[i * dimensions, (i + 1) * dimensions)</c>.</summary>
    /// <param name="texts">The documents; their count is N of the IDF.</param>
    /// <param name="nGram">Longest word n-gram (1 = words only).</param>
    /// <param name="dimensions">Length of each vector.</param>
    public static float[] Vectorize(IReadOnlyList<string> texts, int nGram, int dimensions)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentOutOfRangeException.ThrowIfLessThan(nGram, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        var termCounts = new Dictionary<ulong, int>();
        var documentFrequency = new Dictionary<ulong, int>();
        foreach (var text in texts)
        {
            Count(text, nGram, termCounts);
            foreach (var term in termCounts.Keys)
            {
                documentFrequency[term] = documentFrequency.GetValueOrDefault(term) + 1;
            }
        }

        // Tokenising twice costs less than keeping every document's n-grams for 100k documents.
        var vectors = new float[checked(texts.Count * dimensions)];
        for (var i = 0; i < texts.Count; i++)
        {
            var row = vectors.AsSpan(i * dimensions, dimensions);
            Count(texts[i], nGram, termCounts);
            foreach (var (term, count) in termCounts)
            {
                var idf = Math.Log((1.0 + texts.Count) / (1.0 + documentFrequency[term])) + 1.0;
                var weight = (float)((1.0 + Math.Log(count)) * idf);
                var bucket = (int)((term >> 1) % (ulong)dimensions);
                row[bucket] += (term & 1) == 0 ? weight : -weight;
            }

            var norm = TensorPrimitives.Norm(row);
            if (norm > 0)
            {
                TensorPrimitives.Divide(row, norm, row);
            }
        }

        return vectors;
    }

    /// <summary>Counts the hashed n-grams of <paramref name="text"/> into <paramref name="counts"/> (cleared first).</summary>
    internal static void Count(string text, int nGram, Dictionary<ulong, int> counts)
    {
        counts.Clear();
        var recent = new ulong[nGram]; // hashes of the last nGram words, ring buffer
        var words = 0;
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && (char.IsLetterOrDigit(text[i]) || (text[i] == '\'' && start >= 0));
            if (inWord)
            {
                start = start < 0 ? i : start;
                continue;
            }

            if (start < 0)
            {
                continue;
            }

            recent[words % nGram] = WordHash(text.AsSpan(start, i - start));
            words++;
            start = -1;

            // Every n-gram ending at this word: an n-gram's hash chains its words' hashes, salted by its length.
            var hash = 0UL;
            for (var n = 1; n <= Math.Min(nGram, words); n++)
            {
                hash = MinHasher.Mix(hash * 0x9E3779B97F4A7C15UL ^ recent[(words - n) % nGram]);
                var key = MinHasher.Mix(hash ^ (ulong)n);
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }
        }
    }

    private static ulong WordHash(ReadOnlySpan<char> word)
    {
        var hash = 0xCBF29CE484222325UL; // FNV-1a over lower-cased UTF-16 units
        foreach (var c in word)
        {
            hash = (hash ^ char.ToLowerInvariant(c)) * 0x100000001B3UL;
        }

        return MinHasher.Mix(hash);
    }
}
