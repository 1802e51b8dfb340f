using System.Text;

namespace LLMDistill.Evaluation.TextMetrics;

/// <summary>Exact-match rates of candidates against references.</summary>
public static class ExactMatch
{
    /// <summary>Fraction of pairs whose texts are equal after trimming surrounding whitespace (ordinal comparison).</summary>
    /// <param name="candidates">System outputs.</param>
    /// <param name="references">One reference per candidate.</param>
    /// <returns>A rate in [0, 1]; 0 for no pairs.</returns>
    public static double Rate(IReadOnlyList<string> candidates, IReadOnlyList<string> references)
        => Rate(candidates, references, static s => s.Trim());

    /// <summary>
    /// Fraction of pairs equal after normalisation (SQuAD-style, without English article removal): lower-case,
    /// punctuation and symbols removed, whitespace runs collapsed.
    /// </summary>
    /// <param name="candidates">System outputs.</param>
    /// <param name="references">One reference per candidate.</param>
    /// <returns>A rate in [0, 1]; 0 for no pairs.</returns>
    public static double NormalizedRate(IReadOnlyList<string> candidates, IReadOnlyList<string> references)
        => Rate(candidates, references, Normalize);

    /// <summary>The normalisation of <see cref="NormalizedRate"/>.</summary>
    /// <param name="text">Any text.</param>
    /// <returns>The normalised text.</returns>
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
            }
            else if (!char.IsPunctuation(c) && !char.IsSymbol(c))
            {
                if (pendingSpace)
                {
                    builder.Append(' ');
                    pendingSpace = false;
                }

                builder.Append(char.ToLowerInvariant(c));
            }
        }

        return builder.ToString();
    }

    private static double Rate(IReadOnlyList<string> candidates, IReadOnlyList<string> references, Func<string, string> normalize)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(references);
        if (candidates.Count != references.Count)
        {
            throw new ArgumentException($"{candidates.Count} candidates but {references.Count} references", nameof(references));
        }

        if (candidates.Count == 0)
        {
            return 0;
        }

        var hits = 0;
        for (var i = 0; i < candidates.Count; i++)
        {
            if (string.Equals(normalize(candidates[i]), normalize(references[i]), StringComparison.Ordinal))
            {
                hits++;
            }
        }

        return (double)hits / candidates.Count;
    }
}
