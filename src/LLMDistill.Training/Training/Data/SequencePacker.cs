using LLMDistill.Training.Options;

namespace LLMDistill.Training.Data;

/// <summary>Lays examples out in rows: several per row (packed) or one per row (padded).</summary>
internal static class SequencePacker
{
    /// <summary>
    /// Packs <paramref name="examples"/> in <paramref name="order"/> into rows of at most <paramref name="rowLength"/>
    /// tokens. Packed: greedy in order, a new row when the next example does not fit (keeps the order, so the data
    /// position is a plain counter). Padded: one example per row.
    /// </summary>
    /// <returns>Rows, each the examples it holds in order.</returns>
    /// <exception cref="ArgumentException">An example is longer than a row.</exception>
    public static List<TrainingExample[]> Pack(IReadOnlyList<TrainingExample> examples, IEnumerable<int> order, int rowLength, RowLayout layout)
    {
        var rows = new List<TrainingExample[]>();
        var current = new List<TrainingExample>();
        var used = 0;
        foreach (var index in order)
        {
            var example = examples[index];
            if (example.Length > rowLength)
            {
                throw new ArgumentException($"example {index} has {example.Length} tokens, more than a row ({rowLength})", nameof(examples));
            }

            if (current.Count > 0 && (layout == RowLayout.Padded || used + example.Length > rowLength))
            {
                rows.Add([.. current]);
                current.Clear();
                used = 0;
            }

            current.Add(example);
            used += example.Length;
        }

        if (current.Count > 0)
        {
            rows.Add([.. current]);
        }

        return rows;
    }
}
