namespace LLMDistill.Evaluation.Report;

/// <summary>
/// A free-form comparison of models or variants (rows) on metrics (columns), e.g. the end-to-end job's proof that
/// distillation works: token-level KD vs sequence-level student, random half vs filtered half.
/// </summary>
/// <param name="Title">Heading.</param>
/// <param name="Columns">The metrics.</param>
/// <param name="Rows">The variants.</param>
/// <param name="Caption">What the table shows and how it was measured.</param>
public sealed record ComparisonTable(string Title, IReadOnlyList<ComparisonColumn> Columns, IReadOnlyList<ComparisonRow> Rows, string? Caption = null)
{
    /// <summary>Checks that every row has one value per column.</summary>
    /// <exception cref="ArgumentException">A row has the wrong number of values.</exception>
    public void Validate()
    {
        foreach (var row in Rows)
        {
            if (row.Values.Count != Columns.Count)
            {
                throw new ArgumentException($"comparison '{Title}': row '{row.Name}' has {row.Values.Count} values for {Columns.Count} columns");
            }
        }
    }

    /// <summary>The index of the best row in a column, or null when the column is neutral or empty.</summary>
    /// <param name="column">The column index.</param>
    /// <returns>The row index.</returns>
    public int? BestRow(int column)
    {
        var higher = Columns[column].HigherIsBetter;
        if (higher is null)
        {
            return null;
        }

        int? best = null;
        for (var r = 0; r < Rows.Count; r++)
        {
            var value = Rows[r].Values[column];
            if (value is not { } v || !double.IsFinite(v))
            {
                continue;
            }

            if (best is null || (higher.Value ? v > Rows[best.Value].Values[column] : v < Rows[best.Value].Values[column]))
            {
                best = r;
            }
        }

        return best;
    }
}
