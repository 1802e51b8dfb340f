using LLMDistill.Evaluation.Report;

namespace LLMDistill.Evaluation;

/// <summary>
/// The side-by-side table of student variants against one teacher: rows = variants, columns = agreement, KL, JSD,
/// perplexity, calibration, generation metrics, judge score, size and speed. Values missing from a report are blank.
/// </summary>
public static class VariantComparison
{
    /// <summary>The columns, in order.</summary>
    public static IReadOnlyList<ComparisonColumn> Columns { get; } =
    [
        new("top-1 agr.", true, 3, Percent: true),
        new("top-k agr.", true, 3, Percent: true),
        new("KL(T‖S)", false, 4),
        new("KL(S‖T)", false, 4),
        new("JSD", false, 4),
        new("perplexity", false, 2),
        new("ECE", false, 4),
        new("ROUGE-L", true, 3),
        new("BLEU", true, 1),
        new("chrF", true, 1),
        new("exact match", true, 3, Percent: true),
        new("judge score", true, 2),
        new("params", null, 0),
        new("tokens/s", true, 1),
    ];

    /// <summary>Builds the table from one report that holds every variant.</summary>
    /// <param name="report">The evaluation.</param>
    /// <param name="variants">The variants' model names, in row order.</param>
    /// <param name="teacher">The teacher the variants are compared with (the first teacher when null).</param>
    /// <returns>The table.</returns>
    public static ComparisonTable Build(EvaluationReport report, IReadOnlyList<string> variants, string? teacher = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(variants);
        return Build(variants.Select(v => (v, v, report)).ToArray(), teacher ?? (report.Teachers.Count > 0 ? report.Teachers[0] : null));
    }

    /// <summary>Builds the table from rows that may come from different reports (e.g. separate evaluations of each variant).</summary>
    /// <param name="rows">Row label, the variant's model name in its report, and the report.</param>
    /// <param name="teacher">The teacher the variants are compared with; null leaves the pairwise columns blank.</param>
    /// <returns>The table.</returns>
    public static ComparisonTable Build(IReadOnlyList<(string Label, string Model, EvaluationReport Report)> rows, string? teacher)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var table = rows.Select(r => new ComparisonRow(r.Label, Values(r.Report, r.Model, teacher))).ToArray();
        var reference = teacher is null ? "no teacher" : $"teacher {teacher}";
        var sequenceReference = teacher is null ? null : rows.Select(r => SequenceFor(r.Report, r.Model, teacher)?.ReferenceModel).FirstOrDefault(n => n is not null);
        var caption = $"Student variants against {reference}: token-level columns are teacher-forced on the same held-out data; "
            + $"ROUGE-L, BLEU, chrF and exact match compare greedy generations with {(sequenceReference is null ? "the reference answers" : $"the answers of {sequenceReference}")}; "
            + "judge score 0.5 = as good as the teacher; tokens/s is batched greedy generation on the same device.";
        return new ComparisonTable("Student variants", Columns, table, caption);
    }

    private static double?[] Values(EvaluationReport report, string model, string? teacher)
    {
        var pair = teacher is null ? null : report.TokenAgreement?.FirstOrDefault(p => p.Reference == teacher && p.Compared == model);
        var sequence = teacher is null ? null : SequenceFor(report, model, teacher);
        var efficiency = report.Efficiency?.FirstOrDefault(e => e.Model == model);
        return
        [
            pair?.Top1Agreement, pair?.TopKAgreement, pair?.ForwardKl, pair?.ReverseKl, pair?.Jsd,
            report.Perplexity?.FirstOrDefault(p => p.Model == model)?.Perplexity,
            report.Calibration?.FirstOrDefault(c => c.Model == model)?.Ece,
            sequence?.RougeL, sequence?.Bleu, sequence?.ChrF, sequence?.ExactMatch,
            report.Judge?.FirstOrDefault(j => j.Student == model)?.Score,
            efficiency?.Parameters, efficiency?.TokensPerSecond,
        ];
    }

    /// <summary>The model's generation metrics against the teacher's answers, else against the first reference it was compared with.</summary>
    private static TextMetrics.SequenceMetrics? SequenceFor(EvaluationReport report, string model, string teacher)
        => report.Sequence?.FirstOrDefault(s => s.Model == model && s.ReferenceModel == teacher)
            ?? report.Sequence?.FirstOrDefault(s => s.Model == model);
}
