namespace LLMDistill.Evaluation.Report;

/// <summary>A table of formatted cells, rendered the same way into Markdown and HTML.</summary>
/// <param name="Title">Optional heading above the table.</param>
/// <param name="Header">Column headers.</param>
/// <param name="Rows">Rows of cells.</param>
/// <param name="Bold">Cells to emphasise (best value of a column), as (row, column).</param>
/// <param name="Caption">Optional sentence under the table.</param>
/// <param name="Heat">Optional [0, 1] value per cell for a colour scale (agreement matrix), same shape as Rows.</param>
internal sealed record ReportTable(
    string? Title,
    IReadOnlyList<string> Header,
    IReadOnlyList<IReadOnlyList<string>> Rows,
    IReadOnlySet<(int Row, int Column)>? Bold = null,
    string? Caption = null,
    IReadOnlyList<IReadOnlyList<double?>>? Heat = null);
