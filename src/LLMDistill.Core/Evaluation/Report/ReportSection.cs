namespace LLMDistill.Evaluation.Report;

/// <summary>One section of the report: tables and figures, or a note saying why it is empty.</summary>
/// <param name="Id">Anchor id.</param>
/// <param name="Title">Heading.</param>
/// <param name="Intro">Optional paragraph under the heading.</param>
/// <param name="Tables">Tables, in order.</param>
/// <param name="Figures">Plots, in order.</param>
/// <param name="Note">Shown when the section has no data.</param>
internal sealed record ReportSection(
    string Id,
    string Title,
    string? Intro,
    IReadOnlyList<ReportTable> Tables,
    IReadOnlyList<ReportFigure> Figures,
    string? Note = null)
{
    public static ReportSection Empty(string id, string title, string note) => new(id, title, null, [], [], note);
}
