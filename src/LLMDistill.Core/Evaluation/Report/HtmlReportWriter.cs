using System.Globalization;
using System.Net;
using System.Text;

namespace LLMDistill.Evaluation.Report;

/// <summary>
/// Renders <c>report.html</c>: one self-contained file (inline CSS, plots as base64 PNG, no scripts), with a content
/// security policy that forbids loading anything from outside the file.
/// </summary>
internal static class HtmlReportWriter
{
    private const string Css = """
        :root { color-scheme: light; --ink: #1f2933; --muted: #52606d; --line: #d9e2ec; --accent: #4e79a7; --bg: #f5f7fa; }
        * { box-sizing: border-box; }
        body { margin: 0; background: var(--bg); color: var(--ink); font: 15px/1.5 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; }
        main { max-width: 1120px; margin: 0 auto; padding: 32px 28px 64px; background: #fff; min-height: 100vh; }
        h1 { font-size: 30px; margin: 0 0 8px; }
        h2 { font-size: 22px; margin: 40px 0 12px; padding-bottom: 6px; border-bottom: 2px solid var(--line); }
        h3 { font-size: 17px; margin: 24px 0 8px; }
        ul.facts { list-style: none; padding: 0; margin: 0 0 16px; color: var(--muted); display: flex; flex-wrap: wrap; gap: 4px 22px; }
        nav { margin: 12px 0 8px; font-size: 14px; }
        nav a { color: var(--accent); margin-right: 14px; text-decoration: none; }
        p.intro { max-width: 900px; }
        p.note { color: var(--muted); font-style: italic; }
        .table-wrap { overflow-x: auto; }
        table { border-collapse: collapse; margin: 8px 0; font-size: 14px; font-variant-numeric: tabular-nums; }
        th, td { padding: 6px 10px; border-bottom: 1px solid var(--line); text-align: right; white-space: nowrap; }
        th:first-child, td:first-child { text-align: left; }
        thead th { background: #eef2f7; font-weight: 600; white-space: normal; vertical-align: bottom; }
        tbody tr:nth-child(even) { background: #fafbfc; }
        td.best { font-weight: 700; color: #1d4f91; }
        td.text { text-align: left; }
        p.caption, figcaption { color: var(--muted); font-size: 13px; margin: 4px 0 12px; }
        figure.plot { margin: 18px 0 26px; }
        figure.plot img { max-width: 100%; height: auto; border: 1px solid var(--line); border-radius: 4px; }
        section.summary table { font-size: 15px; }
        """;

    public static string Render(EvaluationReport report, IReadOnlyList<ReportSection> sections)
    {
        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html>").AppendLine("<html lang=\"en\">").AppendLine("<head>")
            .AppendLine("<meta charset=\"utf-8\">")
            .AppendLine("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">")
            .AppendLine("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(E(report.Title)).AppendLine("</title>")
            .Append("<style>").Append(Css).AppendLine("</style>").AppendLine("</head>").AppendLine("<body>").AppendLine("<main>");
        html.Append("<header><h1>").Append(E(report.Title)).AppendLine("</h1><ul class=\"facts\">");
        foreach (var fact in ReportContent.Facts(report))
        {
            html.Append("<li>").Append(E(fact)).AppendLine("</li>");
        }

        html.AppendLine("</ul></header>").Append("<nav>");
        foreach (var section in sections)
        {
            html.Append("<a href=\"#").Append(section.Id).Append("\">").Append(E(section.Title)).Append("</a>");
        }

        html.AppendLine("</nav>");
        foreach (var section in sections)
        {
            AppendSection(html, section);
        }

        if (report.Notes is { Count: > 0 } notes)
        {
            html.AppendLine("<section id=\"notes\"><h2>Notes</h2><ul>");
            foreach (var note in notes)
            {
                html.Append("<li>").Append(E(note)).AppendLine("</li>");
            }

            html.AppendLine("</ul></section>");
        }

        return html.AppendLine("</main>").AppendLine("</body>").AppendLine("</html>").ToString();
    }

    private static void AppendSection(StringBuilder html, ReportSection section)
    {
        html.Append("<section id=\"").Append(section.Id).Append("\" class=\"").Append(section.Id).Append("\"><h2>").Append(E(section.Title)).AppendLine("</h2>");
        if (section.Note is not null)
        {
            html.Append("<p class=\"note\">").Append(E(section.Note)).AppendLine("</p></section>");
            return;
        }

        if (!string.IsNullOrWhiteSpace(section.Intro))
        {
            html.Append("<p class=\"intro\">").Append(E(section.Intro)).AppendLine("</p>");
        }

        foreach (var table in section.Tables)
        {
            AppendTable(html, table);
        }

        foreach (var figure in section.Figures)
        {
            html.Append("<figure class=\"plot\" id=\"fig-").Append(figure.Id).Append("\"><img data-plot=\"").Append(figure.Id)
                .Append("\" alt=\"").Append(E(figure.Title)).Append("\" src=\"data:image/png;base64,").Append(Convert.ToBase64String(figure.Png))
                .Append("\"><figcaption>").Append(E(figure.Caption)).AppendLine("</figcaption></figure>");
        }

        html.AppendLine("</section>");
    }

    private static void AppendTable(StringBuilder html, ReportTable table)
    {
        if (table.Title is not null)
        {
            html.Append("<h3>").Append(E(table.Title)).AppendLine("</h3>");
        }

        html.Append("<div class=\"table-wrap\"><table><thead><tr>");
        foreach (var header in table.Header)
        {
            html.Append("<th>").Append(E(header)).Append("</th>");
        }

        html.AppendLine("</tr></thead><tbody>");
        for (var r = 0; r < table.Rows.Count; r++)
        {
            html.Append("<tr>");
            for (var c = 0; c < table.Rows[r].Count; c++)
            {
                html.Append("<td");
                var classes = (table.Bold?.Contains((r, c)) == true ? "best " : string.Empty) + (IsText(table.Rows[r][c]) ? "text" : string.Empty);
                if (classes.Length > 0)
                {
                    html.Append(" class=\"").Append(classes.Trim()).Append('"');
                }

                if (table.Heat?[r][c] is { } heat)
                {
                    // A blue scale: darker is higher agreement; text turns white on dark cells.
                    var alpha = Math.Clamp(heat, 0, 1).ToString("0.00", CultureInfo.InvariantCulture);
                    html.Append(" style=\"background: rgba(78,121,167,").Append(alpha).Append(')').Append(heat > 0.6 ? "; color: #fff" : string.Empty).Append('"');
                }

                html.Append('>').Append(E(table.Rows[r][c])).Append("</td>");
            }

            html.AppendLine("</tr>");
        }

        html.AppendLine("</tbody></table></div>");
        if (table.Caption is not null)
        {
            html.Append("<p class=\"caption\">").Append(E(table.Caption)).AppendLine("</p>");
        }
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);

    // Names and words are left-aligned; numbers, percentages and "–" stay right-aligned in their column.
    private static bool IsText(string cell)
        => cell.Length > 0 && cell != Fmt.Missing && !char.IsDigit(cell[0]) && !(cell[0] == '-' && cell.Length > 1 && char.IsDigit(cell[1]));
}
