namespace LLMDistill.Evaluation.TokenMetrics;

/// <summary>
/// Top-1 agreement between every pair of models (teacher × teacher, student × each teacher), symmetric with 1 on
/// the diagonal; null where a pair was not measured.
/// </summary>
/// <param name="Models">Row and column names, in order.</param>
/// <param name="Top1">Top1[i][j] = top-1 agreement of Models[i] and Models[j].</param>
public sealed record AgreementMatrix(IReadOnlyList<string> Models, IReadOnlyList<IReadOnlyList<double?>> Top1)
{
    /// <summary>Builds the matrix from pairwise metrics (either direction of a pair fills both cells).</summary>
    /// <param name="models">The models, in display order.</param>
    /// <param name="pairs">Measured pairs; pairs naming an unknown model are an error.</param>
    /// <returns>The matrix.</returns>
    /// <exception cref="ArgumentException">A pair names a model not in <paramref name="models"/>, or names are repeated.</exception>
    public static AgreementMatrix From(IReadOnlyList<string> models, IEnumerable<TokenAgreementMetrics> pairs)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(pairs);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < models.Count; i++)
        {
            if (!index.TryAdd(models[i], i))
            {
                throw new ArgumentException($"model '{models[i]}' is listed twice", nameof(models));
            }
        }

        var cells = new double?[models.Count][];
        for (var i = 0; i < models.Count; i++)
        {
            cells[i] = new double?[models.Count];
            cells[i][i] = 1.0;
        }

        foreach (var pair in pairs)
        {
            if (!index.TryGetValue(pair.Reference, out var r) || !index.TryGetValue(pair.Compared, out var c))
            {
                throw new ArgumentException($"pair {pair.Reference}/{pair.Compared} names a model not in [{string.Join(", ", models)}]", nameof(pairs));
            }

            cells[r][c] = pair.Top1Agreement;
            cells[c][r] = pair.Top1Agreement;
        }

        return new AgreementMatrix([.. models], cells);
    }
}
