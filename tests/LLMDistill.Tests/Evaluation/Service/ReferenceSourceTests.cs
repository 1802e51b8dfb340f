using LLMDistill.Evaluation;
using LLMDistill.Teachers;
using LLMDistill.Tests.Checkpoints;

namespace LLMDistill.Tests.Evaluation.Service;

/// <summary>Where the references of the generation metrics come from, and how a failing API teacher is reported.</summary>
public sealed class ReferenceSourceTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task References_Teachers_WithDatasetAnswers_UsesFreshTeacherAnswersOnly()
    {
        var settings = Settings(ReferenceSource.Teachers);
        var data = await Rows(withResponses: true);
        var api = new FakeApiTeacher("api", r => "Answer to " + r.Prompt);

        var report = (await new ModelEvaluator(settings, new FakeTeacherFactory(api)).EvaluateAsync(
            new EvaluationRequest([ModelSpec.Local("student", EvalFixtures.Small)], [ModelSpec.Local("teacher", EvalFixtures.Large), ModelSpec.Api("api")], data, null),
            null,
            CancellationToken.None)).Report;

        // References = Teachers: fresh answers of each teacher; the dataset's answers are not used.
        Assert.Equal([("student", "teacher"), ("student", "api")], report.Sequence!.Select(s => (s.Model, s.ReferenceModel)));
        Assert.All(api.Requests, r => Assert.StartsWith("ROMEO", r.Prompt));
    }

    [Fact]
    public async Task References_Dataset_WithoutAnswers_ExplainsInANote()
    {
        var report = (await new ModelEvaluator(Settings(ReferenceSource.Dataset)).EvaluateAsync(
            new EvaluationRequest([ModelSpec.Local("student", EvalFixtures.Small)], [ModelSpec.Local("teacher", EvalFixtures.Large)], await Rows(withResponses: false), null),
            null,
            CancellationToken.None)).Report;

        Assert.Contains(report.Notes!, n => n.Contains("Eval:References = Dataset but the data has no reference answers", StringComparison.Ordinal));
        Assert.Empty(report.Sequence!);
        Assert.Contains(report.Notes!, n => n.StartsWith("Generation metrics were skipped: no reference answers", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FailingApiTeacher_IsLeftOutWithANote()
    {
        var calls = 0;
        var flaky = new FakeApiTeacher("flaky", _ => Interlocked.Increment(ref calls) == 2
            ? throw new TeacherException("flaky", TeacherErrorCategory.ContentFilter, "content filter: refused")
            : "fine");

        var report = (await new ModelEvaluator(Settings(ReferenceSource.Auto), new FakeTeacherFactory(flaky)).EvaluateAsync(
            new EvaluationRequest([ModelSpec.Local("student", EvalFixtures.Small)], [ModelSpec.Api("flaky")], await Rows(withResponses: false), null),
            null,
            CancellationToken.None)).Report;

        Assert.Contains(report.Notes!, n => n.StartsWith("Teacher 'flaky': 1 of 3 requests failed (first: ", StringComparison.Ordinal) && n.Contains("content filter: refused", StringComparison.Ordinal));
        Assert.DoesNotContain(report.Sequence!, s => s.ReferenceModel == "flaky");
    }

    [Fact]
    public async Task FatalApiTeacherError_EndsTheEvaluation()
    {
        var locked = new FakeApiTeacher("locked", _ => throw new TeacherException("locked", TeacherErrorCategory.Authentication, "401: invalid API key"));
        var ex = await Assert.ThrowsAsync<TeacherException>(() => new ModelEvaluator(Settings(ReferenceSource.Auto), new FakeTeacherFactory(locked)).EvaluateAsync(
            new EvaluationRequest([ModelSpec.Local("student", EvalFixtures.Small)], [ModelSpec.Api("locked")], EvalFixtures.Text, null),
            null,
            CancellationToken.None));
        Assert.Contains("401: invalid API key", ex.Message);
    }

    [Fact]
    public async Task ChatOnlyApiTeacher_CompletionData_IsLeftOutWithANote()
    {
        var chatOnly = new FakeApiTeacher("chat", _ => "x", new TeacherCapabilities(true, false, 0, false, true));
        var report = (await new ModelEvaluator(Settings(ReferenceSource.Auto), new FakeTeacherFactory(chatOnly)).EvaluateAsync(
            new EvaluationRequest([ModelSpec.Local("student", EvalFixtures.Small)], [ModelSpec.Api("chat")], await Rows(withResponses: false), null),
            null,
            CancellationToken.None)).Report;

        Assert.Contains(report.Notes!, n => n.Contains("Teacher 'chat' does not accept completion requests", StringComparison.Ordinal));
        Assert.Empty(chatOnly.Requests);
    }

    private static EvaluationSettings Settings(ReferenceSource source)
    {
        var settings = EvalFixtures.FastSettings(3);
        settings.Eval.References = source;
        settings.Eval.Speed = false;
        return settings;
    }

    private async Task<string> Rows(bool withResponses)
    {
        var file = _dir.File(withResponses ? "with.jsonl" : "without.jsonl");
        var response = withResponses ? ", \"completion\": \"Thou art a villain.\"" : string.Empty;
        await File.WriteAllLinesAsync(file, Enumerable.Range(0, 3).Select(i => $"{{\"prompt\": \"ROMEO:\\nSpeak {i}\"{response}}}"));
        return file;
    }
}
