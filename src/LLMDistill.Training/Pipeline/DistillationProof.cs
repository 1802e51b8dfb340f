using System.Globalization;
using LLMDistill.Evaluation.Report;

namespace LLMDistill.Pipeline;

/// <summary>
/// The run's evidence that distillation works, from one evaluation of every student on the held-out data: a table of
/// the variants (KL to the teacher, agreement, perplexity, ROUGE-L), a table of the training subsets, and one finding
/// per comparison (token-level KD vs sequence-level CE; filtered subset vs random subset), stated whichever way it went.
/// </summary>
public static class DistillationProof
{
    /// <summary>Title of the variants table in the report.</summary>
    public const string Title = "Does distillation work? (held-out data)";

    private static readonly ComparisonColumn[] Columns =
    [
        new("train samples", null, 0),
        new("KL(T‖S)", false, 4),
        new("top-1 agr.", true, 3, Percent: true),
        new("JSD", false, 4),
        new("perplexity", false, 2),
        new("ROUGE-L", true, 3),
    ];

    private static readonly ComparisonColumn[] SubsetColumns =
    [
        new("samples", null, 0),
        new("response chars", null, 0),
        new("mean teaching value", null, 3),
        new("mean teacher perplexity", null, 2),
        new("mean IFD", null, 3),
    ];

    /// <summary>Builds the tables and findings.</summary>
    /// <param name="report">The evaluation of every variant (students named after the variants).</param>
    /// <param name="variants">The variants, in training order.</param>
    /// <param name="splits">The subsets they trained on.</param>
    /// <param name="teacher">The teacher's name in the report.</param>
    /// <param name="tieTolerance">Relative difference below which a comparison is a tie (<c>Run:TieTolerance</c>).</param>
    /// <returns>The variants table, the subsets table and the findings.</returns>
    public static (ComparisonTable Variants, ComparisonTable Subsets, IReadOnlyList<string> Findings) Build(
        EvaluationReport report, IReadOnlyList<StudentVariant> variants, DatasetSplits splits, string teacher, double tieTolerance)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(variants);
        ArgumentNullException.ThrowIfNull(splits);
        var subsets = splits.All.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var rows = variants.Select(v => new ComparisonRow(v.Name, Values(report, v.Name, teacher, subsets.GetValueOrDefault(v.Subset)?.Samples), v.Description)).ToArray();
        var table = new ComparisonTable(
            Title,
            Columns,
            rows,
            $"Every student has the same architecture, seed and number of steps; all are teacher-forced on the same {report.Dataset?.Samples ?? splits.HeldOut.Samples} held-out samples of {teacher} "
            + "(KL(T‖S) in nats per token, lower = closer to the teacher); ROUGE-L compares greedy generations with the teacher's answers. "
            + "Each row is one training run: a difference of a few percent between two subsets can come from the choice of samples alone.");
        var subsetTable = new ComparisonTable(
            "Training subsets",
            SubsetColumns,
            splits.All.Select(s => new ComparisonRow(s.Name, [s.Samples, s.ResponseChars, s.MeanCombined, s.MeanPerplexity, s.MeanIfd], SubsetNote(s.Name, splits))).ToArray(),
            "Held-out samples are chosen by a hash of their id; no student trains on them.");
        return (table, subsetTable, Findings(table, variants, splits, tieTolerance));
    }

    private static double?[] Values(EvaluationReport report, string model, string teacher, int? samples)
    {
        var pair = report.TokenAgreement?.FirstOrDefault(p => p.Reference == teacher && p.Compared == model);
        var sequence = report.Sequence?.FirstOrDefault(s => s.Model == model && s.ReferenceModel == teacher)
            ?? report.Sequence?.FirstOrDefault(s => s.Model == model);
        return [samples, pair?.ForwardKl, pair?.Top1Agreement, pair?.Jsd, report.Perplexity?.FirstOrDefault(p => p.Model == model)?.Perplexity, sequence?.RougeL];
    }

    private static List<string> Findings(ComparisonTable table, IReadOnlyList<StudentVariant> variants, DatasetSplits splits, double tolerance)
    {
        var findings = new List<string>();
        if (Row(table, StudentVariant.Distilled) is { } kd && Row(table, StudentVariant.SequenceLevel) is { } ce)
        {
            findings.Add(Compare(table, kd, ce, "token-level KD vs sequence-level CE only (same data and steps)", "KD", "CE-only", tolerance));
        }

        if (Row(table, StudentVariant.Filtered) is { } filtered && Row(table, StudentVariant.Random) is { } random && splits.Filtered is { } subset)
        {
            var label = $"KD on the {splits.SelectBy.Subset()} {subset.Samples} samples vs KD on a random {subset.Samples}";
            findings.Add(Compare(table, filtered, random, label, "the filtered subset", "the random subset", tolerance));
        }

        return variants.Count > 1 && findings.Count == 0 ? ["no comparison could be made (a variant is missing from the evaluation)"] : findings;
    }

    /// <summary>"label: KL(T‖S) 0.4000 vs 0.8000 (-50.0%): A wins": KL when measured, else ROUGE-L; within the tolerance a tie.</summary>
    private static string Compare(ComparisonTable table, ComparisonRow a, ComparisonRow b, string label, string nameA, string nameB, double tolerance)
    {
        var c = CultureInfo.InvariantCulture;
        foreach (var (column, metric) in new[] { (1, "KL(T‖S)"), (5, "ROUGE-L") })
        {
            if (a.Values[column] is { } x && b.Values[column] is { } y && double.IsFinite(x) && double.IsFinite(y))
            {
                var lowerIsBetter = table.Columns[column].HigherIsBetter == false;
                var aWins = lowerIsBetter ? x < y : x > y;
                var change = y != 0 ? (x - y) / Math.Abs(y) : 0;
                var verdict = Math.Abs(change) <= tolerance
                    ? string.Create(c, $"a tie (within ±{tolerance:0.#%}, the spread of single training runs)")
                    : aWins ? $"{nameA} wins" : $"{nameB} wins";
                return string.Create(c, $"{label}: {metric} {x:F4} vs {y:F4} ({change:+0.0%;-0.0%}): {verdict}");
            }
        }

        return $"{label}: not measured (no token-level or generation metrics for these students)";
    }

    private static ComparisonRow? Row(ComparisonTable table, StudentVariant variant) => table.Rows.FirstOrDefault(r => r.Name == variant.Name);

    private static string? SubsetNote(string name, DatasetSplits splits) => name switch
    {
        DatasetSplitter.HeldOutName => "evaluation only",
        DatasetSplitter.FilteredName => splits.SelectBy.Rule(),
        DatasetSplitter.RandomName => "seeded random choice",
        _ => null,
    };
}
