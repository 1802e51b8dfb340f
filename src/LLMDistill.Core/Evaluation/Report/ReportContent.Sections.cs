using LLMDistill.Evaluation.TextMetrics;

namespace LLMDistill.Evaluation.Report;

/// <summary>The detailed sections of the report.</summary>
internal static partial class ReportContent
{
    private static ReportSection TokenLevel(EvaluationReport report, ReportOptions options, bool withFigures)
    {
        if (report.TokenAgreement is not { Count: > 0 } pairs)
        {
            return ReportSection.Empty("token-level", "Token-level agreement", "No teacher-forced token-level data in this evaluation.");
        }

        var rows = pairs.Select(p => (IReadOnlyList<string>)
        [
            p.Reference, p.Compared, Fmt.Int(p.Positions), Fmt.Pct(p.Top1Agreement), $"{Fmt.Pct(p.TopKAgreement)} (k={p.TopK})",
            Fmt.Num(p.ForwardKl), Fmt.Num(p.ReverseKl), Fmt.Num(p.Jsd), Fmt.Int(p.NonFinitePositions),
        ]).ToArray();
        var tables = new List<ReportTable>
        {
            new(null, ["reference (P)", "compared (Q)", "positions", "top-1 agr.", "top-k agr.", "KL(P‖Q)", "KL(Q‖P)", "JSD", "infinite KL"], rows,
                Caption: "Teacher-forced on held-out text; divergences are means in nats over positions with finite values."),
        };
        if (report.AgreementMatrix is { Models.Count: > 1 } matrix)
        {
            var cells = matrix.Top1.Select((row, i) => (IReadOnlyList<string>)[matrix.Models[i], .. row.Select(v => Fmt.Pct(v))]).ToArray();
            var heat = matrix.Top1.Select(row => (IReadOnlyList<double?>)[null, .. row]).ToArray();
            tables.Add(new ReportTable("Top-1 agreement matrix", ["", .. matrix.Models], cells, Caption: "Share of positions where two models predict the same next token.", Heat: heat));
        }

        var figures = withFigures
            ? new[] { ReportPlots.AgreementByPosition(pairs, options), ReportPlots.AgreementByLength(pairs, options), ReportPlots.KlHistogram(pairs, options) }
            : [];
        return new ReportSection("token-level", "Token-level agreement", null, tables, figures.OfType<ReportFigure>().ToArray());
    }

    private static ReportSection PerplexityAndCalibration(EvaluationReport report, ReportOptions options, bool withFigures)
    {
        var models = (report.Perplexity ?? []).Select(p => p.Model).Concat((report.Calibration ?? []).Select(c => c.Model)).Distinct().ToArray();
        if (models.Length == 0)
        {
            return ReportSection.Empty("perplexity", "Perplexity and calibration", "No perplexity or calibration data in this evaluation.");
        }

        var rows = models.Select(m =>
        {
            var p = report.Perplexity?.FirstOrDefault(x => x.Model == m);
            var c = report.Calibration?.FirstOrDefault(x => x.Model == m);
            return (IReadOnlyList<string>)[m, Fmt.Int(p?.Tokens), Fmt.Num(p?.Perplexity, 2), Fmt.Num(p?.MeanNll), Fmt.Num(p?.BitsPerToken), Fmt.Pct(c?.Accuracy), Fmt.Num(c?.Ece), Fmt.Num(c?.Mce)];
        }).ToArray();
        var bold = BestInColumn(rows, 2, higherIsBetter: false);
        var table = new ReportTable(null, ["model", "tokens", "perplexity", "NLL (nats)", "bits/token", "top-1 accuracy", "ECE", "MCE"], rows, bold,
            $"ECE uses {(report.Calibration is { Count: > 0 } cal ? cal[0].Bins.Count : 15)} equal-width confidence bins.");
        var figure = withFigures ? ReportPlots.Reliability(report.Calibration, options) : null;
        return new ReportSection("perplexity", "Perplexity and calibration", null, [table], figure is null ? [] : [figure]);
    }

    private static ReportSection Generation(EvaluationReport report)
    {
        if (report.Sequence is not { Count: > 0 } sequence)
        {
            return ReportSection.Empty("generation", "Generation quality", "No free-generation outputs were evaluated.");
        }

        var overlap = sequence.Select(s => (IReadOnlyList<string>)
        [
            s.Model, s.ReferenceModel, Fmt.Int(s.Samples), Fmt.Pct(s.ExactMatch), Fmt.Pct(s.NormalizedExactMatch), Fmt.Num(s.Bleu, 2),
            Fmt.Num(s.SentenceBleu, 2), Fmt.Num(s.ChrF, 2), Fmt.Num(s.ChrFPlusPlus, 2), Fmt.Num(s.RougeL),
        ]).ToArray();
        var diversity = new List<IReadOnlyList<string>>();
        foreach (var s in sequence)
        {
            diversity.Add(DiversityRow(s.Model, s.Outputs));
            if (!diversity.Any(r => r[0] == s.ReferenceModel))
            {
                diversity.Add(DiversityRow(s.ReferenceModel, s.ReferenceOutputs));
            }
        }

        return new ReportSection("generation", "Generation quality", null,
        [
            new(null, ["model", "reference", "samples", "exact match", "normalised EM", "BLEU", "sentence BLEU", "chrF2", "chrF++", "ROUGE-L"], overlap,
                Caption: $"BLEU and chrF are corpus-level and sacreBLEU-compatible ({sequence[0].BleuSignature}); ROUGE-L is the mean F-measure."),
            new("Diversity and length", ["outputs of", "distinct-1", "distinct-2", "self-BLEU", "repeated 4-grams", "loops", "mean words", "median", "p90", "mean tokens"],
                diversity, Caption: "Self-BLEU: lower is more diverse. Loops: outputs that end repeating a phrase."),
        ], []);
    }

    private static IReadOnlyList<string> DiversityRow(string name, DiversityMetrics d) =>
    [
        name, Fmt.Num(d.Distinct1), Fmt.Num(d.Distinct2), Fmt.Num(d.SelfBleu, 2), Fmt.Pct(d.RepetitionRate), Fmt.Pct(d.LoopRate),
        Fmt.Num(d.Words.Mean, 1), Fmt.Num(d.Words.Median, 1), Fmt.Num(d.Words.P90, 1), Fmt.Num(d.Tokens?.Mean, 1),
    ];

    private static ReportSection JudgeSection(EvaluationReport report)
    {
        if (report.Judge is not { Count: > 0 } judges)
        {
            return ReportSection.Empty("judge", "Teacher as judge", "No judge comparison was run.");
        }

        var rows = judges.Select(j => (IReadOnlyList<string>)
        [
            j.Judge, $"{j.Student} vs {j.Teacher}", Fmt.Int(j.Pairs), Fmt.Int(j.Wins), Fmt.Int(j.Ties), Fmt.Int(j.Losses), Fmt.Int(j.Unjudged),
            Fmt.Pct(j.WinRate), Fmt.Num(j.Score, 3), Fmt.Pct(j.PositionConsistency), Fmt.Pct(j.FirstPositionPreference),
        ]).ToArray();
        const string rule = "Each pair is judged twice with the answers swapped. The student wins a pair if it wins both orders, or wins one and ties the other; " +
            "a win and a loss (the judge followed the position) count as a tie. Score = (wins + ties/2) / judged pairs.";
        return new ReportSection("judge", "Teacher as judge", rule,
            [new(null, ["judge", "comparison", "pairs", "wins", "ties", "losses", "unjudged", "win rate", "score", "consistent orders", "picks A"], rows)], []);
    }

    private static ReportSection Efficiency(EvaluationReport report, ReportOptions options, bool withFigures)
    {
        if (report.Efficiency is not { Count: > 0 } efficiency)
        {
            return ReportSection.Empty("efficiency", "Speed and size", "No speed or size measurements in this evaluation.");
        }

        var rows = efficiency.Select(e => (IReadOnlyList<string>)
            [e.Model, e.Role, Fmt.Params(e.Parameters), Fmt.Bytes(e.BytesOnDisk), Fmt.Num(e.TokensPerSecond, 1), Fmt.Num(e.LatencyPerTokenMs, 2), e.Device ?? Fmt.Missing]).ToArray();
        var figures = withFigures ? new[] { ReportPlots.Speed(efficiency, options), ReportPlots.Size(efficiency, options) } : [];
        return new ReportSection("efficiency", "Speed and size", null,
            [new(null, ["model", "role", "parameters", "on disk", "tokens/s", "ms/token", "device"], rows)], figures.OfType<ReportFigure>().ToArray());
    }

    private static ReportSection Training(EvaluationReport report, ReportOptions options, bool withFigures)
    {
        if (report.Training is not { Count: > 0 } records || !records.Any(r => r.Loss is not null))
        {
            return ReportSection.Empty("training", "Training", "No training metrics (metrics.jsonl) were supplied.");
        }

        string Last(string split) => Fmt.Num(records.LastOrDefault(r => r.Split == split && r.Loss is not null)?.Loss, 4);
        var table = new ReportTable(null, ["steps", "last train loss", "last eval loss", "best eval loss", "training time (s)"],
        [[
            Fmt.Int(records.Max(r => r.Step)), Last("train"), Last("eval"),
            Fmt.Num(records.Where(r => r.Split == "eval" && r.Loss is not null).Select(r => r.Loss).DefaultIfEmpty().Min(), 4),
            Fmt.Num(records.Max(r => r.ElapsedSeconds), 0),
        ]]);
        var figure = withFigures ? ReportPlots.TrainingCurves(records, options) : null;
        return new ReportSection("training", "Training", null, [table], figure is null ? [] : [figure]);
    }

    private static ReportSection TeachingValue(EvaluationReport report, ReportOptions options, bool withFigures)
    {
        if (report.TeachingValue is not { } tv || tv.Kept + tv.Rejected == 0)
        {
            return ReportSection.Empty("teaching-value", "Teaching value", "No teaching-value scores of kept and rejected samples were supplied.");
        }

        var table = new ReportTable(null, ["group", "samples", "mean score"],
            [["kept", Fmt.Int(tv.Kept), Fmt.Num(tv.Kept == 0 ? null : tv.KeptMean)], ["rejected", Fmt.Int(tv.Rejected), Fmt.Num(tv.Rejected == 0 ? null : tv.RejectedMean)]]);
        var figure = withFigures ? ReportPlots.TeachingValue(tv, options) : null;
        return new ReportSection("teaching-value", "Teaching value", null, [table], figure is null ? [] : [figure]);
    }

    private static HashSet<(int Row, int Column)> BestInColumn(IReadOnlyList<IReadOnlyList<string>> rows, int column, bool higherIsBetter)
    {
        var parsed = rows.Select((r, i) => (i, ok: double.TryParse(r[column], System.Globalization.CultureInfo.InvariantCulture, out var v), v)).Where(x => x.ok).ToArray();
        if (parsed.Length < 2)
        {
            return [];
        }

        var best = higherIsBetter ? parsed.MaxBy(x => x.v) : parsed.MinBy(x => x.v);
        return [(best.i, column)];
    }
}
