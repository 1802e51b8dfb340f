using LLMDistill.Evaluation;
using LLMDistill.Evaluation.Datasets;
using LLMDistill.Teachers;

namespace LLMDistill.Tests.Evaluation.Service;

/// <summary>An API teacher's reference answers are asked with the same chat task the student is scored on.</summary>
public sealed class ApiAnswersTests
{
    private static readonly EvalSample Chat = new("k", TeacherMode.Chat, "Name a play.", "One word.", null, "eval:1");

    [Fact]
    public async Task AskAsync_SystemPrompt_IsTheFirstTurn()
    {
        var api = new FakeApiTeacher("api", _ => "Hamlet.");

        var (answers, note) = await ApiAnswers.AskAsync(api, [Chat], new EvalOptions { SystemPrompt = "Be brief." }, null, CancellationToken.None);

        Assert.Null(note);
        Assert.Equal(["Hamlet."], answers!.Texts);
        var request = Assert.Single(api.Requests);
        Assert.Equal([new ChatTurn("system", "Be brief."), new ChatTurn("user", "Name a play.\n\nOne word.")], request.Messages);
    }

    [Fact]
    public async Task AskAsync_NoSystemPrompt_OnlyTheUserTurn()
    {
        var api = new FakeApiTeacher("api", _ => "Hamlet.");

        await ApiAnswers.AskAsync(api, [Chat], new EvalOptions(), null, CancellationToken.None);

        Assert.Equal([new ChatTurn("user", "Name a play.\n\nOne word.")], Assert.Single(api.Requests).Messages);
    }
}
