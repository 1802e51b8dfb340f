namespace LLMDistill.Evaluation.TextMetrics;

/// <summary>Counts word n-grams of token arrays; an n-gram's key is its tokens joined by a space (tokens hold no whitespace).</summary>
internal static class NgramCounter
{
    /// <summary>All n-grams of orders <paramref name="minOrder"/>..<paramref name="maxOrder"/> with their counts.</summary>
    public static Dictionary<string, int> Count(IReadOnlyList<string> tokens, int minOrder, int maxOrder)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var n = minOrder; n <= maxOrder; n++)
        {
            for (var i = 0; i + n <= tokens.Count; i++)
            {
                var key = n == 1 ? tokens[i] : Join(tokens, i, n);
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }
        }

        return counts;
    }

    /// <summary>The order of an n-gram key made by <see cref="Count"/>.</summary>
    public static int OrderOf(string key)
    {
        var order = 1;
        foreach (var c in key)
        {
            if (c == ' ')
            {
                order++;
            }
        }

        return order;
    }

    /// <summary>The key of tokens[start..start+n].</summary>
    public static string Join(IReadOnlyList<string> tokens, int start, int n)
    {
        var parts = new string[n];
        for (var k = 0; k < n; k++)
        {
            parts[k] = tokens[start + k];
        }

        return string.Join(' ', parts);
    }
}
