using System.Text;

namespace LLMDistill.Evaluation.Report;

/// <summary>Renders <c>report.md</c>: the same sections and tables as the HTML report, without the plots.</summary>
internal static class MarkdownReportWriter
{
    public static string Render(EvaluationReport report, IReadOnlyList<ReportSection> sections)
    {
        var md = new StringBuilder();
        md.Append("# ").AppendLine(Escape(report.Title)).AppendLine();
        foreach (var fact in ReportContent.Facts(report))
        {
            md.Append("- ").AppendLine(Escape(fact));
        }

        md.AppendLine().AppendLine("Plots are in report.html; every number here is also in metrics.json.").AppendLine();
        foreach (var section in sections)
        {
            md.Append("## ").AppendLine(section.Title).AppendLine();
            if (section.Note is not null)
            {
                md.Append('_').Append(Escape(section.Note)).AppendLine("_").AppendLine();
                continue;
            }

            if (!string.IsNullOrWhiteSpace(section.Intro))
            {
                md.AppendLine(Escape(section.Intro)).AppendLine();
            }

            foreach (var table in section.Tables)
            {
                AppendTable(md, table);
            }

            if (section.Figures.Count > 0)
            {
                md.Append("Plots in report.html: ").AppendJoin(", ", section.Figures.Select(f => f.Title.ToLowerInvariant())).AppendLine(".").AppendLine();
            }
        }

        if (report.Notes is { Count: > 0 } notes)
        {
            md.AppendLine("## Notes").AppendLine();
            foreach (var note in notes)
            {
                md.Append("- ").AppendLine(Escape(note));
            }
        }

        return md.ToString();
    }

    private static void AppendTable(StringBuilder md, ReportTable table)
    {
        if (table.Title is not null)
        {
            md.Append("### ").AppendLine(Escape(table.Title)).AppendLine();
        }

        md.Append("| ").AppendJoin(" | ", table.Header.Select(Escape)).AppendLine(" |");
        md.Append('|').AppendJoin('|', table.Header.Select((_, i) => i == 0 ? " --- " : " ---: ")).AppendLine("|");
        for (var r = 0; r < table.Rows.Count; r++)
        {
            var cells = table.Rows[r].Select((cell, c) => table.Bold?.Contains((r, c)) == true ? $"**{Escape(cell)}**" : Escape(cell));
            md.Append("| ").AppendJoin(" | ", cells).AppendLine(" |");
        }

        md.AppendLine();
        if (table.Caption is not null)
        {
            md.Append('_').Append(Escape(table.Caption)).AppendLine("_").AppendLine();
        }
    }

    // Table cells and lines must not break the Markdown structure.
    private static string Escape(string text)
        => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal).Replace("*", "\\*", StringComparison.Ordinal)
            .Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
