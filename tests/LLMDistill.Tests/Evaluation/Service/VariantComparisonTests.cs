using LLMDistill.Evaluation;
using LLMDistill.Evaluation.Report;
using LLMDistill.Evaluation.TextMetrics;
using LLMDistill.Evaluation.TokenMetrics;

namespace LLMDistill.Tests.Evaluation.Service;

public sealed class VariantComparisonTests
{
    [Fact]
    public void Build_OneReport_OneRowPerVariantWithTheTeacherPairs()
    {
        var report = new EvaluationReport(
            EvaluationReport.CurrentSchemaVersion, "t", DateTimeOffset.UnixEpoch, "a", ["T", "U"],
            Perplexity: [new PerplexityMetrics("a", 10, 2, Math.Exp(2), 2 / Math.Log(2)), new PerplexityMetrics("b", 10, 1, Math.E, 1 / Math.Log(2))],
            TokenAgreement: [Pair("T", "a", 0.5, 0.8), Pair("U", "a", 0.9, 0.1), Pair("T", "b", 0.7, 0.3)],
            Sequence: [Sequence("a", "T", 0.4), Sequence("b", "dataset", 0.6)],
            Efficiency: [new EfficiencyMetrics("a", "student", 1000, TokensPerSecond: 50), new EfficiencyMetrics("b", "student", 4000, TokensPerSecond: 20)]);

        var table = VariantComparison.Build(report, ["a", "b"]);
        table.Validate();

        int Column(string name) => table.Columns.Select(c => c.Name).ToList().IndexOf(name);
        Assert.Equal(["a", "b"], table.Rows.Select(r => r.Name));
        Assert.Equal([0.5, 0.7], table.Rows.Select(r => r.Values[Column("top-1 agr.")]));
        Assert.Equal([0.8, 0.3], table.Rows.Select(r => r.Values[Column("KL(T‖S)")]));
        Assert.Equal([Math.Exp(2), Math.E], table.Rows.Select(r => r.Values[Column("perplexity")]));
        Assert.Equal([0.4, 0.6], table.Rows.Select(r => r.Values[Column("ROUGE-L")]));   // b was only compared with the dataset
        Assert.Equal([null, null], table.Rows.Select(r => r.Values[Column("judge score")]));
        Assert.Equal(1, table.BestRow(Column("top-1 agr.")));
        Assert.Equal(1, table.BestRow(Column("KL(T‖S)")));
        Assert.Equal(0, table.BestRow(Column("tokens/s")));
        Assert.Null(table.BestRow(Column("params")));
        Assert.Contains("teacher T", table.Caption);

        var againstU = VariantComparison.Build(report, ["a"], "U");
        Assert.Equal(0.9, againstU.Rows[0].Values[Column("top-1 agr.")]);
    }

    [Fact]
    public void Build_RowsFromSeparateReports_UseEachReportsModel()
    {
        EvaluationReport Report(string student, double top1) => new(
            EvaluationReport.CurrentSchemaVersion, "t", DateTimeOffset.UnixEpoch, student, ["T"], TokenAgreement: [Pair("T", student, top1, 0.2)]);

        var table = VariantComparison.Build([("random half", "s", Report("s", 0.4)), ("filtered half", "s", Report("s", 0.6))], "T");

        Assert.Equal(["random half", "filtered half"], table.Rows.Select(r => r.Name));
        Assert.Equal([0.4, 0.6], table.Rows.Select(r => r.Values[0]));
        Assert.Equal(VariantComparison.Columns.Count, table.Columns.Count);
    }

    private static TokenAgreementMetrics Pair(string reference, string compared, double top1, double kl)
        => new(reference, compared, 100, 5, top1, top1 + 0.1, kl, kl / 2, kl / 4, 0, [], [], new Histogram([0, 1], [100], 0));

    private static SequenceMetrics Sequence(string model, string reference, double rougeL)
    {
        var diversity = DiversityMetrics.Compute(["a b c"]);
        return new SequenceMetrics(model, reference, 1, 0, 0, rougeL, 10, 10, 20, 20, "sig", diversity, diversity);
    }
}
