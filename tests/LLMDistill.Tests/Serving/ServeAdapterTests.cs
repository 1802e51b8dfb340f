using System.Text;
using LLMDistill.Teachers;
using LLMDistill.Tests.Model;
using LLMDistill.Tests.Teachers;
using LLMDistill.Tests.Fixtures;

namespace LLMDistill.Tests.Serving;

/// <summary>
/// <c>serve</c> driven by our API-teacher adapter (TeacherFactory, kind <c>openai</c>, over the real OpenAI .NET SDK) on
/// loopback: chat, completion, logprobs, streaming, scoring by echo, n, stop. Answers must equal the in-process model's.
/// </summary>
public sealed class ServeAdapterTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static SamplingParameters Greedy(int maxTokens, IReadOnlyList<string>? stop = null) => new(0f, 1f, maxTokens, null, stop);

    [Fact]
    public async Task Completion_GreedyWithLogprobs_EqualsSampleCommandAndTheFullForward()
    {
        var reference = ShakespeareReference.Load(LocalModelFixture.ModelName)[0];
        var generated = reference.GreedyIds.Length - reference.PromptIds.Length;
        await using var host = TeacherTestHost.Create(fixture.Teacher("srv", "completion"));
        var teacher = await host.Factory.GetAsync("srv", CancellationToken.None);

        var response = await teacher.CompleteAsync(new TeacherRequest(null, reference.Prompt, Greedy(generated), TopLogprobs: 5), CancellationToken.None);
        var sample = CliProcess.Run("sample", "--model", LocalModelFixture.Directory, "--prompt", reference.Prompt, "--max-new-tokens", $"{generated}", "--device", "cpu");

        var choice = Assert.Single(response.Choices);
        Assert.Equal(0, sample.Exit);
        Assert.Equal(sample.Stdout.TrimEnd('\n'), choice.Text);
        Assert.Equal(new TokenUsage(reference.PromptIds.Length, generated), response.Usage);
        var tokenizer = fixture.Models.Model.Tokenizer;
        var ids = choice.Logprobs!.Select(t => tokenizer.TokenIdOf(t.Bytes!.ToArray())!.Value).ToArray();
        Assert.Equal(reference.GreedyIds.Skip(reference.PromptIds.Length).Select(i => (int)i), ids);
        var logp = fixture.Models.LogSoftmax([.. reference.PromptIds.Select(i => (int)i), .. ids]);
        for (var t = 0; t < ids.Length; t++)
        {
            var token = choice.Logprobs![t];
            var row = logp[reference.PromptIds.Length - 1 + t];
            Assert.Equal(row[ids[t]], token.Logprob, tolerance: 1e-4);
            Assert.Equal(Encoding.UTF8.GetString(tokenizer.TokenBytes(ids[t])), token.Token);
            Assert.Equal(5, token.Top.Count);
            Assert.Equal(row.Max(), token.Top[0].Logprob, tolerance: 1e-4);
            Assert.All(token.Top, a => Assert.Equal(row[tokenizer.TokenIdOf(a.Bytes!.ToArray())!.Value], a.Logprob, tolerance: 1e-4));
        }
    }

    [Fact]
    public async Task Chat_WithTopLogprobs_EqualsTheInProcessTeacherWithCorrectBytes()
    {
        await using var host = TeacherTestHost.Create(fixture.Teacher("srv", "chat"));
        var teacher = await host.Factory.GetAsync("srv", CancellationToken.None);
        var request = new TeacherRequest([new ChatTurn("system", "Be brief."), new ChatTurn("user", "Who art thou?")], null, Greedy(24), TopLogprobs: 3);

        var served = await teacher.CompleteAsync(request, CancellationToken.None);
        var direct = await fixture.Direct.CompleteAsync(request, CancellationToken.None);

        Assert.Equal(direct.Text, served.Text);
        Assert.Equal(direct.Usage, served.Usage);
        Assert.Equal(direct.Choices[0].FinishReason, served.Choices[0].FinishReason);
        var servedTokens = served.Choices[0].Logprobs!;
        var directTokens = direct.Choices[0].Logprobs!;
        Assert.Equal(directTokens.Count, servedTokens.Count);
        for (var i = 0; i < directTokens.Count; i++)
        {
            Assert.Equal(fixture.Models.Model.Tokenizer.TokenBytes(directTokens[i].TokenId!.Value), servedTokens[i].Bytes);
            Assert.Equal(directTokens[i].Token, servedTokens[i].Token);
            Assert.Equal(directTokens[i].Logprob, servedTokens[i].Logprob, tolerance: 1e-6);
            Assert.Equal(directTokens[i].Top.Select(a => a.Bytes), servedTokens[i].Top.Select(a => a.Bytes));
        }
    }

    [Theory]
    [InlineData("chat")]
    [InlineData("completion")]
    public async Task Stream_ConcatenatesToTheAnswerWithLogprobsAndUsage(string mode)
    {
        await using var host = TeacherTestHost.Create(fixture.Teacher("srv", mode));
        var teacher = (IStreamingTeacherClient)await host.Factory.GetAsync("srv", CancellationToken.None);
        var request = mode == "chat"
            ? new TeacherRequest([new ChatTurn("user", "Speak, friend.")], null, Greedy(20), TopLogprobs: 2)
            : new TeacherRequest(null, "JULIET:\n", Greedy(20), TopLogprobs: 2);

        var whole = await teacher.CompleteAsync(request, CancellationToken.None);
        var text = new StringBuilder();
        var tokens = new List<TokenLogprob>();
        TeacherStreamDelta? last = null;
        await foreach (var delta in teacher.StreamAsync(request, CancellationToken.None))
        {
            text.Append(delta.Text);
            if (delta.Logprob is not null)
            {
                tokens.Add(delta.Logprob);
            }

            last = delta;
        }

        Assert.Equal(whole.Text, text.ToString());
        Assert.Equal(whole.Choices[0].Logprobs!.Select(t => t.Token), tokens.Select(t => t.Token));
        Assert.All(tokens, t => Assert.Equal(2, t.Top.Count));
        Assert.Equal(whole.Choices[0].FinishReason, last!.FinishReason);
        Assert.Equal(whole.Usage, last.Usage);
    }

    [Fact]
    public async Task Score_ThroughEcho_EqualsTheInProcessScore()
    {
        await using var host = TeacherTestHost.Create(fixture.Teacher("srv", "completion", ("Scoring", "true")));
        var teacher = (IScoringTeacherClient)await host.Factory.GetAsync("srv", CancellationToken.None);
        const string context = "KING HENRY:\n";
        const string continuation = "Once more unto the breach, dear friends, once more.";

        var served = await teacher.ScoreAsync(context, continuation, 3, CancellationToken.None);
        var direct = await fixture.Direct.ScoreAsync(context, continuation, 3, CancellationToken.None);

        Assert.Equal(direct.Select(t => t.Token), served.Select(t => t.Token));
        Assert.Equal(direct.Select(t => t.Bytes), served.Select(t => t.Bytes));
        Assert.All(direct.Zip(served), p => Assert.Equal(p.First.Logprob, p.Second.Logprob, tolerance: 1e-6));
        Assert.All(direct.Zip(served), p => Assert.Equal(p.First.Top.Select(a => a.Token), p.Second.Top.Select(a => a.Token)));
    }

    [Fact]
    public async Task Completion_SeveralSeededChoices_AreDistinctAndReproducible()
    {
        await using var host = TeacherTestHost.Create(fixture.Teacher("srv", "completion"));
        var teacher = await host.Factory.GetAsync("srv", CancellationToken.None);
        var request = new TeacherRequest(null, "ROMEO:\n", new SamplingParameters(1f, 0.95f, 16, Seed: 11), N: 4);

        var first = await teacher.CompleteAsync(request, CancellationToken.None);
        var again = await teacher.CompleteAsync(request, CancellationToken.None);
        var direct = await fixture.Direct.CompleteAsync(request, CancellationToken.None);

        Assert.Equal(4, first.Choices.Count);
        Assert.Equal(4, first.Choices.Select(c => c.Text).Distinct().Count());
        Assert.Equal(first.Choices.Select(c => c.Text), again.Choices.Select(c => c.Text));
        Assert.Equal(direct.Choices.Select(c => c.Text), first.Choices.Select(c => c.Text));
        Assert.Equal(3, first.Usage.PromptTokens);
        Assert.Equal(64, first.Usage.CompletionTokens);
    }

    [Fact]
    public async Task Completion_StopStrings_EndTheAnswerBeforeTheMatch()
    {
        await using var host = TeacherTestHost.Create(fixture.Teacher("srv", "completion"));
        var teacher = await host.Factory.GetAsync("srv", CancellationToken.None);

        var response = await teacher.CompleteAsync(new TeacherRequest(null, "ROMEO:\n", Greedy(30, [", thou", "zzz"])), CancellationToken.None);

        Assert.Equal("What", response.Text);
        Assert.Equal("stop", response.Choices[0].FinishReason);
    }

    [Theory]
    [InlineData("Model", "gpt-4", TeacherErrorCategory.NotFound, "does not exist")]
    [InlineData("MaxTopLogprobs", "50", TeacherErrorCategory.BadRequest, "top_logprobs")]
    public async Task BadRequests_AreCategorisedAndNotRetried(string key, string value, TeacherErrorCategory category, string expected)
    {
        await using var host = TeacherTestHost.Create(fixture.Teacher("srv", "chat", ("MaxRetries", "3"), (key, value)));
        var teacher = await host.Factory.GetAsync("srv", CancellationToken.None);
        var before = fixture.Server.Model.Scheduler.Statistics.Requests;

        var error = await Assert.ThrowsAsync<TeacherException>(() => teacher.CompleteAsync(
            new TeacherRequest([new ChatTurn("user", "Hi")], null, Greedy(4), TopLogprobs: key == "MaxTopLogprobs" ? 30 : 0), CancellationToken.None));

        Assert.Equal(category, error.Category);
        Assert.Contains(expected, error.Message);
        Assert.Equal(before, fixture.Server.Model.Scheduler.Statistics.Requests);
    }

    [Fact]
    public async Task ContextTooLong_IsABadRequestNamingTheContext()
    {
        await using var host = TeacherTestHost.Create(fixture.Teacher("srv", "completion"));
        var teacher = await host.Factory.GetAsync("srv", CancellationToken.None);

        var error = await Assert.ThrowsAsync<TeacherException>(() => teacher.CompleteAsync(new TeacherRequest(null, "ROMEO:\n", Greedy(1000)), CancellationToken.None));

        Assert.Equal(TeacherErrorCategory.BadRequest, error.Category);
        Assert.Equal(400, error.StatusCode);
        Assert.Contains("context is 512 tokens", error.Message);
    }
}
