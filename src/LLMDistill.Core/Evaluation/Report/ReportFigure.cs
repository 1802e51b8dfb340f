namespace LLMDistill.Evaluation.Report;

/// <summary>A rendered plot of the report.</summary>
/// <param name="Id">Stable id (also the HTML element id), e.g. "training-curves".</param>
/// <param name="Title">Heading above the plot.</param>
/// <param name="Caption">What the plot shows and how to read it.</param>
/// <param name="Png">The image.</param>
internal sealed record ReportFigure(string Id, string Title, string Caption, byte[] Png);
