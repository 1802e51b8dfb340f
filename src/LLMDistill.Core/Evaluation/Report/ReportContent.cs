using System.Globalization;

namespace LLMDistill.Evaluation.Report;

/// <summary>
/// Turns an <see cref="EvaluationReport"/> into ordered sections of tables and plots, shared by the Markdown and
/// HTML writers: summary first, then comparisons, token level, perplexity and calibration, generation, judge,
/// efficiency, training and teaching value. Sections without data carry a note instead of content.
/// </summary>
internal static partial class ReportContent
{
    public static IReadOnlyList<ReportSection> Build(EvaluationReport report, ReportOptions options, bool withFigures)
    {
        ArgumentNullException.ThrowIfNull(report);
        foreach (var table in report.Comparisons ?? [])
        {
            table.Validate();
        }

        return
        [
            Summary(report),
            Comparisons(report),
            TokenLevel(report, options, withFigures),
            PerplexityAndCalibration(report, options, withFigures),
            Generation(report),
            JudgeSection(report),
            Efficiency(report, options, withFigures),
            Training(report, options, withFigures),
            TeachingValue(report, options, withFigures),
        ];
    }

    /// <summary>One-line facts under the title: models, dataset, date.</summary>
    public static IReadOnlyList<string> Facts(EvaluationReport report)
    {
        var facts = new List<string>
        {
            $"Student: {report.Student}",
            $"Teachers: {(report.Teachers.Count == 0 ? "none" : string.Join(", ", report.Teachers))}",
            string.Create(CultureInfo.InvariantCulture, $"Created: {report.CreatedUtc:yyyy-MM-dd HH:mm} UTC"),
        };
        if (report.Dataset is { } d)
        {
            var positions = d.TokenPositions is { } p ? $", {Fmt.Int(p)} token positions" : string.Empty;
            facts.Add($"Data: {d.Path} ({Fmt.Int(d.Samples)} samples{positions}){(d.Description is null ? string.Empty : " – " + d.Description)}");
        }

        return facts;
    }

    /// <summary>Headline sentences for the summary.</summary>
    public static IReadOnlyList<string> Headlines(EvaluationReport report)
    {
        var lines = new List<string>();
        var primary = report.Teachers.Count > 0 ? report.Teachers[0] : null;
        var pair = report.TokenAgreement?.FirstOrDefault(p => p.Compared == report.Student && p.Reference == primary);
        if (pair is not null)
        {
            lines.Add($"The student predicts {primary}'s most likely next token at {Fmt.Pct(pair.Top1Agreement)} of {Fmt.Int(pair.Positions)} positions " +
                $"(top-{pair.TopK}: {Fmt.Pct(pair.TopKAgreement)}); mean KL({primary} ‖ student) is {Fmt.Num(pair.ForwardKl)} nats.");
        }

        var judge = report.Judge is { Count: > 0 } judges ? judges[0] : null;
        if (judge is not null)
        {
            lines.Add($"Judged by {judge.Judge} in both answer orders, the student wins {judge.Wins}, ties {judge.Ties} and loses {judge.Losses} " +
                $"of {judge.Pairs} pairs against {judge.Teacher} (score {Fmt.Num(judge.Score, 2)}; 0.5 = as good as the teacher).");
        }

        var student = report.Efficiency?.FirstOrDefault(e => e.Model == report.Student);
        var teacher = report.Efficiency?.FirstOrDefault(e => e.Model == primary);
        if (student?.Parameters is > 0 && teacher?.Parameters is > 0)
        {
            var speed = student.TokensPerSecond is > 0 && teacher.TokensPerSecond is > 0
                ? string.Create(CultureInfo.InvariantCulture, $" and generates {student.TokensPerSecond.Value / teacher.TokensPerSecond.Value:0.#}× as many tokens per second")
                : string.Empty;
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"The student has {teacher.Parameters.Value / (double)student.Parameters.Value:0.#}× fewer parameters than {primary}{speed}."));
        }

        return lines;
    }

    private static ReportSection Summary(EvaluationReport report)
    {
        var primary = report.Teachers.Count > 0 ? report.Teachers[0] : null;
        var models = new[] { (report.Student, "student") }.Concat(report.Teachers.Select(t => (t, "teacher"))).ToArray();
        var header = new List<string> { "model", "role", "params", "perplexity", "top-1 agr.", "KL", "BLEU", "chrF", "ROUGE-L", "judge", "tokens/s" };
        var rows = new List<IReadOnlyList<string>>();
        foreach (var (model, role) in models)
        {
            var efficiency = report.Efficiency?.FirstOrDefault(e => e.Model == model);
            var pair = model == primary ? null : report.TokenAgreement?.FirstOrDefault(p => p.Reference == primary && p.Compared == model);
            var sequence = model == primary ? null : report.Sequence?.FirstOrDefault(s => s.Model == model && s.ReferenceModel == primary);
            var judge = report.Judge?.FirstOrDefault(j => j.Student == model);
            rows.Add(
            [
                model, role, Fmt.Params(efficiency?.Parameters),
                Fmt.Num(report.Perplexity?.FirstOrDefault(p => p.Model == model)?.Perplexity, 2),
                Fmt.Pct(pair?.Top1Agreement), Fmt.Num(pair?.ForwardKl), Fmt.Num(sequence?.Bleu, 1), Fmt.Num(sequence?.ChrF, 1),
                Fmt.Num(sequence?.RougeL), Fmt.Num(judge?.Score, 2), Fmt.Num(efficiency?.TokensPerSecond, 1),
            ]);
        }

        var table = new ReportTable(null, header, rows, Caption: $"Agreement, KL({primary ?? "teacher"} ‖ model) and the generation metrics (BLEU, chrF, ROUGE-L) compare each model with the primary teacher {primary ?? "(none)"}; judge = teacher-as-judge score; '–' means not measured.");
        return new ReportSection("summary", "Summary", string.Join(" ", Headlines(report)), [table], []);
    }

    private static ReportSection Comparisons(EvaluationReport report)
    {
        if (report.Comparisons is not { Count: > 0 } comparisons)
        {
            return ReportSection.Empty("comparisons", "Comparisons", "No comparison of variants was recorded in this evaluation.");
        }

        var tables = comparisons.Select(c =>
        {
            var bold = new HashSet<(int, int)>();
            for (var col = 0; col < c.Columns.Count; col++)
            {
                if (c.BestRow(col) is { } best)
                {
                    bold.Add((best, col + 1));
                }
            }

            var rows = c.Rows.Select(r => (IReadOnlyList<string>)[r.Note is null ? r.Name : $"{r.Name} ({r.Note})", .. r.Values.Select((v, i) => Fmt.Cell(v, c.Columns[i]))]).ToArray();
            return new ReportTable(c.Title, ["variant", .. c.Columns.Select(col => col.Name)], rows, bold, c.Caption);
        }).ToArray();
        return new ReportSection("comparisons", "Comparisons", "Best value of each column in bold.", tables, []);
    }
}
