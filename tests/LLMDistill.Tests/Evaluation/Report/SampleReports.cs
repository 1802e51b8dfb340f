using LLMDistill.Evaluation.Judge;
using LLMDistill.Evaluation.Report;
using LLMDistill.Evaluation.TextMetrics;
using LLMDistill.Evaluation.TokenMetrics;

namespace LLMDistill.Tests.Evaluation.Report;

/// <summary>Deterministic reports for the report tests: one with every section filled, one with nothing.</summary>
internal static class SampleReports
{
    public static readonly DateTimeOffset Created = new(2025, 1, 2, 3, 4, 0, TimeSpan.Zero);

    /// <summary>The ids of the plots a full report must draw.</summary>
    public static readonly string[] FullPlotIds =
        ["agreement-by-position", "agreement-by-length", "kl-histogram", "reliability", "speed", "size", "training-curves", "teaching-value"];

    public static EvaluationReport Empty() => new(EvaluationReport.CurrentSchemaVersion, "Empty report", Created, "student", []);

    public static EvaluationReport Full()
    {
        var random = new Random(42);
        var studentVsTeacher = Pair("shakespeare-4m", "student", random, 0.55);
        var studentVsOther = Pair("shakespeare-1m", "student", random, 0.65);
        var teachers = Pair("shakespeare-4m", "shakespeare-1m", random, 0.75);
        var calibration = new[] { Calibration("student", random, 0.15), Calibration("shakespeare-4m", random, 0.03) };
        string[] teacherAnswers = ["To be, or not to be, that is the question.", "All the world's a stage, and all the men and women merely players.", "The quality of mercy is not strained."];
        string[] studentAnswers = ["To be or not to be, that is a question.", "All the world is a stage and all the men merely players.", "The quality of mercy is not not not not not not not not strained strained strained"];
        var judge = PairwiseJudge.Summarize("shakespeare-4m", "student", "shakespeare-4m",
        [
            new("s1", PairOutcome.Win, PairOutcome.Tie, PairOutcome.Win),
            new("s2", PairOutcome.Loss, PairOutcome.Loss, PairOutcome.Loss),
            new("s3", PairOutcome.Win, PairOutcome.Loss, PairOutcome.Tie),
            new("s4", PairOutcome.Unjudged, PairOutcome.Loss, PairOutcome.Unjudged, "the judge's reply holds no verdict"),
        ]);
        var training = Enumerable.Range(0, 60).Select(i => new TrainingMetricsRecord(i * 10, "train", 4.0 * Math.Exp(-i / 20.0) + 1.2,
                new Dictionary<string, double> { ["ce"] = 3.0 * Math.Exp(-i / 25.0) + 1.0, ["kl"] = 1.0 * Math.Exp(-i / 15.0) + 0.2 }, 3e-4 * Math.Min(1, i / 5.0), 2.0, 0.5, 12000, i * 3.0))
            .Concat(Enumerable.Range(1, 6).Select(i => new TrainingMetricsRecord(i * 100, "eval", 4.2 * Math.Exp(-i / 2.0) + 1.4)))
            .ToArray();
        return new EvaluationReport(
            EvaluationReport.CurrentSchemaVersion,
            "Shakespeare distillation",
            Created,
            "student",
            ["shakespeare-4m", "shakespeare-1m"],
            new DatasetInfo("data/shakespeare/samples-0.jsonl", 200, "held-out split, seed 7", 25_600),
            [Ppl("student", 3.1), Ppl("shakespeare-4m", 2.6), Ppl("shakespeare-1m", 2.9)],
            [studentVsTeacher, studentVsOther, teachers],
            calibration,
            AgreementMatrix.From(["shakespeare-4m", "shakespeare-1m", "student"], [studentVsTeacher, studentVsOther, teachers]),
            [SequenceMetrics.Compute("student", "shakespeare-4m", studentAnswers, teacherAnswers, [12, 14, 20], [11, 15, 9])],
            [judge],
            [
                new EfficiencyMetrics("student", "student", 1_050_000, 4_300_000, 2100, 0.48, "cpu"),
                new EfficiencyMetrics("shakespeare-4m", "teacher", 4_200_000, 16_900_000, 700, 1.43, "cpu"),
                new EfficiencyMetrics("shakespeare-1m", "teacher", 1_100_000, 4_500_000, 1900, 0.53, "cpu"),
            ],
            [
                new ComparisonTable("Does distillation work?",
                    [new("top-1 agreement", true, 3, true), new("KL(teacher ‖ student)", false), new("BLEU", true, 1), new("mean words", null, 1)],
                    [
                        new("token-level KD student", [0.55, 0.81, 21.5, 14.2]),
                        new("sequence-level student", [0.49, 1.02, 19.0, 13.8]),
                        new("random half", [0.44, 1.20, 16.1, 12.9], "same data budget"),
                        new("filtered half", [0.50, 0.97, 18.7, null]),
                    ],
                    "Same student architecture and step budget; only the training signal or the data differ."),
            ],
            TeachingValueSummary.From(
                Enumerable.Range(0, 300).Select(_ => Math.Clamp(0.65 + (0.15 * Gaussian(random)), 0, 1)).ToArray(),
                Enumerable.Range(0, 200).Select(_ => Math.Clamp(0.35 + (0.15 * Gaussian(random)), 0, 1)).ToArray()),
            training,
            ["Speed measured with batch size 1 on the same CPU."]);
    }

    private static TokenAgreementMetrics Pair(string reference, string compared, Random random, double agreement)
    {
        var acc = new TokenAgreementAccumulator(reference, compared);
        for (var s = 0; s < 40; s++)
        {
            var length = 8 + random.Next(120);
            for (var p = 0; p < length; p++)
            {
                var bias = agreement + (0.15 * Math.Exp(-p / 10.0)) - (0.0005 * length);
                var kl = -Math.Log(1 - random.NextDouble()) * (1.2 - agreement);
                acc.Add(new PositionComparison(p, length, random.NextDouble() < bias, random.NextDouble() < bias + 0.25, kl, kl * 0.8, Math.Min(Math.Log(2), kl * 0.2)));
            }
        }

        return acc.ToMetrics();
    }

    private static CalibrationMetrics Calibration(string model, Random random, double overconfidence)
    {
        var acc = new CalibrationAccumulator(model);
        for (var i = 0; i < 3000; i++)
        {
            var confidence = random.NextDouble();
            acc.Add(confidence, random.NextDouble() < Math.Max(0, confidence - overconfidence));
        }

        return acc.ToMetrics();
    }

    private static PerplexityMetrics Ppl(string model, double ppl)
    {
        var acc = new PerplexityAccumulator(model);
        acc.Add(Math.Log(ppl) * 25_600, 25_600);
        return acc.ToMetrics();
    }

    private static double Gaussian(Random random)
        => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
