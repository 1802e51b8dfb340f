using System.Collections.Concurrent;
using LLMDistill.Evaluation;
using LLMDistill.Evaluation.Report;
using LLMDistill.Tests.Checkpoints;
using LLMDistill.Tests.Evaluation.Judge;

namespace LLMDistill.Tests.Evaluation.Service;

/// <summary>The evaluation service end to end on shakespeare-1m (student) and shakespeare-4m (teacher), in process.</summary>
public sealed class ModelEvaluatorTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task EvaluateAsync_TextData_WritesTheThreeFilesWithEveryLocalMetric()
    {
        var stages = new ConcurrentQueue<string>();
        var request = new EvaluationRequest([ModelSpec.Local("student", EvalFixtures.Small)], [ModelSpec.Local("teacher", EvalFixtures.Large)], EvalFixtures.Text, _dir.File("out"));

        var result = await new ModelEvaluator(EvalFixtures.FastSettings()).EvaluateAsync(request, new InlineProgress(p => stages.Enqueue(p.Stage)), CancellationToken.None);

        var files = Assert.IsType<ReportFiles>(result.Files);
        Assert.All(new[] { files.Metrics, files.Markdown, files.Html }, f => Assert.True(new FileInfo(f).Length > 500, f));
        var report = await MetricsJson.ReadAsync(files.Metrics, CancellationToken.None);
        Assert.Equal("student", report.Student);
        Assert.Equal(["teacher"], report.Teachers);
        Assert.Equal(6, report.Dataset!.Samples);
        Assert.Equal(["student", "teacher"], report.Perplexity!.Select(p => p.Model));
        Assert.All(report.Perplexity!, p => Assert.InRange(p.Perplexity, 5, 500));
        var pair = Assert.Single(report.TokenAgreement!);
        Assert.Equal(("teacher", "student", report.Dataset.TokenPositions!.Value), (pair.Reference, pair.Compared, pair.Positions));
        Assert.InRange(pair.Top1Agreement, 0.2, 0.99);
        Assert.True(pair.ForwardKl > 0);
        Assert.Equal(2, report.Calibration!.Count);
        Assert.Equal(pair.Top1Agreement, report.AgreementMatrix!.Top1[0][1]);
        Assert.Equal(
            [("student", "teacher"), ("student", "text"), ("teacher", "text")],
            report.Sequence!.Select(s => (s.Model, s.ReferenceModel)));
        Assert.All(report.Sequence!, s => Assert.Equal(6, s.Samples));
        Assert.Equal(["student", "teacher"], report.Efficiency!.Select(e => e.Model));
        Assert.All(report.Efficiency!, e => Assert.True(e.TokensPerSecond > 0 && e.LatencyPerTokenMs > 0 && e.BytesOnDisk > 1_000_000 && e.Device == "cpu"));
        Assert.True(report.Efficiency![0].Parameters < report.Efficiency[1].Parameters);
        Assert.Contains(report.Notes!, n => n.Contains("Eval:Judge:Teacher", StringComparison.Ordinal));
        Assert.Null(report.Comparisons);
        Assert.Equal(["student"], result.Variants.Rows.Select(r => r.Name));
        Assert.Contains("token-level", stages);
        Assert.Contains("generate teacher", stages);
        Assert.Contains("speed", stages);
    }

    [Fact]
    public async Task EvaluateAsync_TwoVariants_PutsThemSideBySide()
    {
        var settings = EvalFixtures.FastSettings(4);
        settings.Eval.Speed = false;
        var request = new EvaluationRequest(
            [ModelSpec.Local("small", EvalFixtures.Small), ModelSpec.Local("copy", EvalFixtures.Large)], [ModelSpec.Local("teacher", EvalFixtures.Large)], EvalFixtures.Text, null);

        var result = await new ModelEvaluator(settings).EvaluateAsync(request, null, CancellationToken.None);

        Assert.Null(result.Files);
        var table = Assert.Single(result.Report.Comparisons!);
        Assert.Same(result.Variants, table);
        Assert.Equal(["small", "copy"], table.Rows.Select(r => r.Name));
        int Column(string name) => table.Columns.Select(c => c.Name).ToList().IndexOf(name);
        var copy = table.Rows[1].Values;
        Assert.Equal(1.0, copy[Column("top-1 agr.")]);
        Assert.Equal(0.0, copy[Column("KL(T‖S)")]!.Value, 6);
        Assert.Equal(1.0, copy[Column("exact match")]);            // greedy generations of the same model match
        Assert.True(table.Rows[0].Values[Column("KL(T‖S)")] > 0.01);
        Assert.Equal(1, table.BestRow(Column("top-1 agr.")));
        Assert.Equal(3_426_560, copy[Column("params")]!.Value, 0);
        Assert.Equal(
            [("teacher", "small"), ("teacher", "copy")],
            result.Report.TokenAgreement!.Select(a => (a.Reference, a.Compared)));
    }

    [Fact]
    public async Task EvaluateAsync_ApiTeacherAndJudge_GivesGenerationAndJudgeMetricsOnly()
    {
        var data = _dir.File("tasks.jsonl");
        await File.WriteAllLinesAsync(data, ["{\"instruction\": \"Speak of love.\"}", "{\"instruction\": \"Speak of war.\"}", "{\"instruction\": \"Speak of kings.\"}"]);
        const string Answer = "To be, or not to be, that is the question.";
        var api = new FakeApiTeacher("api", _ => Answer);
        var judge = new FakeJudgeClient((a, b, _) => a == Answer ? "{\"reasoning\": \"r\", \"winner\": \"A\"}" : "{\"reasoning\": \"r\", \"winner\": \"B\"}");
        var settings = EvalFixtures.FastSettings();
        settings.Judge.Teacher = "judge";
        settings.Eval.Speed = false;
        var request = new EvaluationRequest([ModelSpec.Local("student", EvalFixtures.Small)], [ModelSpec.Api("api")], data, null);

        var report = (await new ModelEvaluator(settings, new FakeTeacherFactory(api, judge)).EvaluateAsync(request, null, CancellationToken.None)).Report;

        Assert.Equal(3, api.Requests.Count);
        Assert.All(api.Requests, r => Assert.Equal((0f, 8), (r.Sampling.Temperature, r.Sampling.MaxTokens)));
        Assert.Contains(api.Requests, r => r.Messages![0].Content == "Speak of war.");
        var sequence = Assert.Single(report.Sequence!);
        Assert.Equal(("student", "api", 3), (sequence.Model, sequence.ReferenceModel, sequence.Samples));
        Assert.Equal(3, sequence.ReferenceOutputs.Words.Count);
        Assert.Empty(report.TokenAgreement!);
        Assert.Contains(report.Notes!, n => n.Contains("no sample has a reference answer", StringComparison.Ordinal));
        var verdicts = Assert.Single(report.Judge!);
        Assert.Equal(("judge", "student", "api", 3, 3), (verdicts.Judge, verdicts.Student, verdicts.Teacher, verdicts.Pairs, verdicts.Losses));
        Assert.Equal(6, judge.Requests.Count);                     // both orders of every pair
        Assert.Equal(["student"], report.Efficiency!.Select(e => e.Model));
        Assert.Null(report.Efficiency![0].TokensPerSecond);
    }

    [Fact]
    public async Task EvaluateAsync_DatasetDirectory_UsesItsAnswersAndTeachingValues()
    {
        var dataset = Directory.CreateDirectory(_dir.File("dataset")).FullName;
        var lines = File.ReadLines(EvalFixtures.Text).Skip(38_000).Where(l => l.Length > 10).Take(8).ToArray();
        await File.WriteAllLinesAsync(Path.Combine(dataset, "samples-00000.jsonl"), Enumerable.Range(0, 4).Select(i =>
            $"{{\"id\":\"r{i}\",\"mode\":\"completion\",\"instruction\":{Json(lines[2 * i] + "\n")},\"response\":{Json(lines[(2 * i) + 1])},"
            + $"\"provenance\":{{\"teacher\":\"teacher\"}},\"scores\":{{\"combined\":0.{6 + i}}}}}"));
        await File.WriteAllLinesAsync(Path.Combine(dataset, "rejected.jsonl"), ["{\"key\":\"k\",\"scores\":{\"combined\":0.2}}", "{\"key\":\"j\",\"scores\":{\"combined\":0.3}}"]);
        var settings = EvalFixtures.FastSettings();
        settings.Eval.Speed = false;
        var request = new EvaluationRequest([ModelSpec.Local("student", EvalFixtures.Small)], [ModelSpec.Local("teacher", EvalFixtures.Large)], dataset, null);

        var report = (await new ModelEvaluator(settings).EvaluateAsync(request, null, CancellationToken.None)).Report;

        Assert.Equal([("student", "teacher")], report.Sequence!.Select(s => (s.Model, s.ReferenceModel)));   // the dataset's answers, written by "teacher"
        Assert.Equal(4, report.Dataset!.Samples);
        Assert.Equal(report.Dataset.TokenPositions, Assert.Single(report.TokenAgreement!).Positions);   // the dataset's answers, teacher-forced
        var value = report.TeachingValue!;
        Assert.Equal((4, 2), (value.Kept, value.Rejected));
        Assert.Equal(0.75, value.KeptMean, 9);
        Assert.Equal(0.25, value.RejectedMean, 9);
    }

    [Fact]
    public async Task EvaluateAsync_RunDirectory_ReadsTheTrainingCurves()
    {
        var run = Directory.CreateDirectory(_dir.File("run")).FullName;
        var student = Directory.CreateDirectory(Path.Combine(run, "final")).FullName;
        foreach (var file in Directory.GetFiles(EvalFixtures.Small))
        {
            File.CreateSymbolicLink(Path.Combine(student, Path.GetFileName(file)), file);
        }

        await File.WriteAllLinesAsync(Path.Combine(run, "metrics.jsonl"), ["{\"step\":1,\"loss\":5.1}", "{\"step\":2,\"loss\":4.7}", "{\"step\":2,\"split\":\"eval\",\"loss\":4.9}"]);
        var settings = EvalFixtures.FastSettings();
        settings.Eval.Speed = false;

        var report = (await new ModelEvaluator(settings).EvaluateAsync(new EvaluationRequest([ModelSpec.Local("final", student)], [], null, null), null, CancellationToken.None)).Report;

        Assert.Equal([1, 2, 2], report.Training!.Select(r => r.Step));
        Assert.Contains(report.Notes!, n => n.Contains("No evaluation data", StringComparison.Ordinal));
        Assert.Null(report.Perplexity);
        Assert.Equal(988_288, report.Efficiency![0].Parameters);

        await File.AppendAllTextAsync(Path.Combine(run, "metrics.jsonl"), "{\"loss\": 1}\n");
        report = (await new ModelEvaluator(settings).EvaluateAsync(new EvaluationRequest([ModelSpec.Local("final", student)], [], null, null), null, CancellationToken.None)).Report;
        Assert.Null(report.Training);
        Assert.Contains(report.Notes!, n => n.StartsWith("Training curves skipped: ", StringComparison.Ordinal) && n.Contains("metrics.jsonl:4", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EvaluateAsync_BadRequests_FailWithAClearMessage()
    {
        var evaluator = new ModelEvaluator(EvalFixtures.FastSettings());
        var missing = _dir.File("no-model");
        var notFound = await Assert.ThrowsAsync<DirectoryNotFoundException>(() =>
            evaluator.EvaluateAsync(new([ModelSpec.Local("s", missing)], [], null, null), null, CancellationToken.None));
        Assert.Equal($"student 's': model directory '{missing}' does not exist", notFound.Message);

        var twice = await Assert.ThrowsAsync<ArgumentException>(() =>
            evaluator.EvaluateAsync(new([ModelSpec.Local("m", EvalFixtures.Small)], [ModelSpec.Local("m", EvalFixtures.Large)], null, null), null, CancellationToken.None));
        Assert.Contains("model name 'm' is empty or used twice", twice.Message);

        var api = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            evaluator.EvaluateAsync(new([ModelSpec.Local("s", EvalFixtures.Small)], [ModelSpec.Api("gpt")], null, null), null, CancellationToken.None));
        Assert.Contains("teacher 'gpt'", api.Message);

        await Assert.ThrowsAsync<ArgumentException>(() => evaluator.EvaluateAsync(new([], [], null, null), null, CancellationToken.None));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            evaluator.EvaluateAsync(new([ModelSpec.Local("s", EvalFixtures.Small)], [], EvalFixtures.Text, null), null, cancelled.Token));
    }

    private static string Json(string text) => System.Text.Json.JsonSerializer.Serialize(text);

    private sealed class InlineProgress(Action<EvaluationProgress> report) : IProgress<EvaluationProgress>
    {
        public void Report(EvaluationProgress value) => report(value);
    }
}
