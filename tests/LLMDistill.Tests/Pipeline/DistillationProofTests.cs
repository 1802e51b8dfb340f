using LLMDistill.Evaluation.Report;
using LLMDistill.Evaluation.TextMetrics;
using LLMDistill.Evaluation.TokenMetrics;
using LLMDistill.Pipeline;

namespace LLMDistill.Tests.Pipeline;

public sealed class DistillationProofTests
{
    private static readonly DatasetSplits Splits = new(
        new SubsetSummary("heldout", "/r/heldout", 10, 1000, 0.5, 15, 0.9),
        new SubsetSummary("train", "/r/train", 90, 9000, 0.5, 15, 0.9),
        new SubsetSummary("filtered", "/r/filtered", 45, 4500, 0.7, 12, 0.95),
        new SubsetSummary("random", "/r/random", 45, 4400, 0.5, 15, 0.9),
        SelectionSignal.Combined);

    [Fact]
    public void Build_KdCloserThanCe_FilteredWorseThanRandom_FindingsSayWhichWon()
    {
        var report = Report(("kd", 0.40, 0.6), ("ce", 0.80, 0.5), ("kd-filtered", 0.55, 0.4), ("kd-random", 0.50, 0.45));

        var (table, subsets, findings) = DistillationProof.Build(report, StudentVariant.Plan(new RunOptions()), Splits, "T", 0.02);
        table.Validate();
        subsets.Validate();

        Assert.Equal(["kd", "ce", "kd-filtered", "kd-random"], table.Rows.Select(r => r.Name));
        Assert.Equal([90.0, 90, 45, 45], table.Rows.Select(r => r.Values[0]));
        Assert.Equal([0.40, 0.80, 0.55, 0.50], table.Rows.Select(r => r.Values[1]));
        Assert.Equal(0, table.BestRow(1));
        Assert.Equal(2, findings.Count);
        Assert.Equal("token-level KD vs sequence-level CE only (same data and steps): KL(T‖S) 0.4000 vs 0.8000 (-50.0%): KD wins", findings[0]);
        Assert.Equal("KD on the highest-combined 45 samples vs KD on a random 45: KL(T‖S) 0.5500 vs 0.5000 (+10.0%): the random subset wins", findings[1]);
        Assert.Equal(["heldout", "train", "filtered", "random"], subsets.Rows.Select(r => r.Name));
        Assert.Equal(0.7, subsets.Rows[2].Values[2]);
    }

    [Fact]
    public void Build_DifferenceWithinTheTolerance_IsReportedAsATie()
    {
        var report = Report(("kd", 0.40, 0.6), ("ce", 0.80, 0.5), ("kd-filtered", 0.505, 0.4), ("kd-random", 0.50, 0.45));

        var (_, _, findings) = DistillationProof.Build(report, StudentVariant.Plan(new RunOptions()), Splits, "T", 0.02);

        Assert.Equal("KD on the highest-combined 45 samples vs KD on a random 45: KL(T‖S) 0.5050 vs 0.5000 (+1.0%): a tie (within ±2%, the spread of single training runs)", findings[1]);
        Assert.EndsWith("KD wins", findings[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Build_NoTokenLevelMetrics_ComparesRougeLInstead()
    {
        var report = new EvaluationReport(
            EvaluationReport.CurrentSchemaVersion, "t", DateTimeOffset.UnixEpoch, "kd", ["api"],
            Sequence: [Sequence("kd", "api", 0.30), Sequence("ce", "api", 0.25), Sequence("kd-filtered", "api", 0.31), Sequence("kd-random", "api", 0.28)]);

        var (_, _, findings) = DistillationProof.Build(report, StudentVariant.Plan(new RunOptions()), Splits, "api", 0.02);

        Assert.StartsWith("token-level KD vs sequence-level CE only (same data and steps): ROUGE-L 0.3000 vs 0.2500 (+20.0%): KD wins", findings[0], StringComparison.Ordinal);
        Assert.EndsWith("the filtered subset wins", findings[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Build_OnlyTheMainStudent_NoFindings()
    {
        var report = Report(("kd", 0.4, 0.5));

        var (table, _, findings) = DistillationProof.Build(report, StudentVariant.Plan(new RunOptions { Compare = false }), Splits with { Filtered = null, Random = null }, "T", 0.02);

        Assert.Single(table.Rows);
        Assert.Empty(findings);
    }

    [Fact]
    public void Apply_SequenceLevelVariant_TrainsWithCrossEntropyOnlyAndNoTeacherTargets()
    {
        var options = new LLMDistill.Training.Options.TrainOptions();
        options.Loss.ForwardKl = 1;
        options.Loss.Jsd = 0.5;
        options.HiddenStates.Weight = 0.3;

        StudentVariant.SequenceLevel.Apply(options);

        Assert.Equal(LLMDistill.Training.Options.TargetSource.None, options.Targets);
        Assert.Equal((1.0, 0.0, 0.0, 0.0), (options.Loss.CrossEntropy, options.Loss.ForwardKl, options.Loss.Jsd, options.HiddenStates.Weight));
        Assert.False(options.Loss.HasSoftTerms);

        var kd = new LLMDistill.Training.Options.TrainOptions();
        StudentVariant.Distilled.Apply(kd);
        Assert.True(kd.Loss.HasSoftTerms);
    }

    private static EvaluationReport Report(params (string Model, double Kl, double RougeL)[] students)
        => new(
            EvaluationReport.CurrentSchemaVersion, "t", DateTimeOffset.UnixEpoch, students[0].Model, ["T"],
            Perplexity: students.Select(s => new PerplexityMetrics(s.Model, 10, s.Kl, Math.Exp(s.Kl), 1)).ToArray(),
            TokenAgreement: students.Select(s => new TokenAgreementMetrics("T", s.Model, 100, 5, 0.5, 0.6, s.Kl, s.Kl, s.Kl / 4, 0, [], [], new Histogram([0, 1], [100], 0))).ToArray(),
            Sequence: students.Select(s => Sequence(s.Model, "T", s.RougeL)).ToArray());

    private static SequenceMetrics Sequence(string model, string reference, double rougeL)
    {
        var diversity = DiversityMetrics.Compute(["a b c"]);
        return new SequenceMetrics(model, reference, 1, 0, 0, rougeL, 10, 10, 20, 20, "sig", diversity, diversity);
    }
}
