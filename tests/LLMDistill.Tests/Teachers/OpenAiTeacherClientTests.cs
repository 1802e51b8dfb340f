using System.Text;
using LLMDistill.Teachers;
using LLMDistill.Tests.Fixtures.OpenAiServer;

namespace LLMDistill.Tests.Teachers;

/// <summary>The OpenAI-compatible teacher through the real OpenAI/Azure SDK against the scripted loopback server.</summary>
public sealed class OpenAiTeacherClientTests
{
    private const string Answer = "Paris is the capital of France.";

    [Fact]
    public async Task CompleteAsync_Chat_SendsRequestAndParsesAnswer()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        server.Default = ScriptedReply.Answer(Answer);
        await using var host = TeacherTestHost.Create(TeacherTestHost.OpenAiTeacher("t", server.V1), new Dictionary<string, string> { ["LLMDISTILL_Teachers__t__ApiKey"] = "sk-test" });
        var teacher = await host.Factory.GetAsync("t", CancellationToken.None);

        var request = new TeacherRequest(
            [new ChatTurn("system", "Be brief."), new ChatTurn("user", "Capital of France?")], null,
            new SamplingParameters(0.3f, 0.8f, 64, Seed: 42, Stop: ["\n\n"]));
        var response = await teacher.CompleteAsync(request, CancellationToken.None);

        Assert.Equal(Answer, response.Text);
        Assert.Equal("stop", response.Choices[0].FinishReason);
        Assert.Null(response.Choices[0].Logprobs);
        Assert.Equal("fake-model", response.Model);
        Assert.False(response.FromCache);
        Assert.True(response.Usage.CompletionTokens > 0);

        var sent = Assert.Single(server.Requests);
        Assert.Equal("/v1/chat/completions", sent.Path);
        Assert.Equal("fake-model", sent.StringField("model"));
        Assert.Equal(64, sent.IntField("max_tokens"));
        Assert.Equal(42, sent.IntField("seed"));
        Assert.Equal(0.3, sent.Json.GetProperty("temperature").GetDouble(), 5);
        Assert.Equal(0.8, sent.Json.GetProperty("top_p").GetDouble(), 5);
        Assert.Equal("\n\n", sent.Json.GetProperty("stop")[0].GetString());
        Assert.Equal("system", sent.Json.GetProperty("messages")[0].GetProperty("role").GetString());
        Assert.False(sent.Json.TryGetProperty("logprobs", out _));
        Assert.Equal("Bearer sk-test", sent.Header("Authorization"));
    }

    [Fact]
    public async Task CompleteAsync_ChatWithTopLogprobs_KeepsTokenTextBytesAndAlternatives()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        server.Default = ScriptedReply.Answer("Ça va très bien");
        await using var host = TeacherTestHost.Create(TeacherTestHost.OpenAiTeacher("t", server.V1));
        var teacher = await host.Factory.GetAsync("t", CancellationToken.None);

        var response = await teacher.CompleteAsync(TeacherTestHost.Chat("hi", topLogprobs: 5), CancellationToken.None);

        var sent = Assert.Single(server.Requests);
        Assert.True(sent.BoolField("logprobs"));
        Assert.Equal(5, sent.IntField("top_logprobs"));
        var logprobs = response.Choices[0].Logprobs!;
        Assert.Equal(FakeOpenAiResponses.Tokenize("Ça va très bien"), logprobs.Select(t => t.Token).ToList());
        for (var i = 0; i < logprobs.Count; i++)
        {
            Assert.Equal(FakeOpenAiResponses.LogprobAt(i), logprobs[i].Logprob, 9);
            Assert.Equal(Encoding.UTF8.GetBytes(logprobs[i].Token), logprobs[i].Bytes);
            Assert.Equal(5, logprobs[i].Top.Count);
            Assert.Equal(logprobs[i].Token, logprobs[i].Top[0].Token);
            Assert.Equal(Encoding.UTF8.GetBytes(logprobs[i].Top[1].Token), logprobs[i].Top[1].Bytes);
        }

        Assert.Equal([0xC3, 0x87, 0x61], logprobs[0].Bytes); // "Ça": multi-byte UTF-8 survives as bytes
    }

    [Fact]
    public async Task CompleteAsync_ChatWithN_ReturnsChoicesInIndexOrder()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        server.Default = ScriptedReply.Answer(Answer);
        await using var host = TeacherTestHost.Create(TeacherTestHost.OpenAiTeacher("t", server.V1));
        var teacher = await host.Factory.GetAsync("t", CancellationToken.None);

        var response = await teacher.CompleteAsync(TeacherTestHost.Chat("hi", n: 3), CancellationToken.None);

        Assert.Equal(3, Assert.Single(server.Requests).IntField("n"));
        Assert.Equal([Answer, Answer + " #1", Answer + " #2"], response.Choices.Select(c => c.Text).ToList());
    }

    [Fact]
    public async Task CompleteAsync_CompletionModeWithLogprobs_UsesLegacyEndpointAndParsesArrays()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        server.Default = ScriptedReply.Answer(" and so it begins.");
        await using var host = TeacherTestHost.Create(TeacherTestHost.OpenAiTeacher("base", server.V1, ("Mode", "completion")));
        var teacher = await host.Factory.GetAsync("base", CancellationToken.None);

        var response = await teacher.CompleteAsync(TeacherTestHost.Completion("Once upon a time", topLogprobs: 3), CancellationToken.None);

        var sent = Assert.Single(server.Requests);
        Assert.Equal("/v1/completions", sent.Path);
        Assert.Equal("Once upon a time", sent.StringField("prompt"));
        Assert.Equal(3, sent.IntField("logprobs"));
        Assert.True(teacher.Capabilities.Completion);
        Assert.False(teacher.Capabilities.Chat);
        Assert.Equal(" and so it begins.", response.Text);
        var logprobs = response.Choices[0].Logprobs!;
        Assert.Equal(FakeOpenAiResponses.Tokenize(" and so it begins."), logprobs.Select(t => t.Token).ToList());
        Assert.All(logprobs, t => Assert.Equal(3, t.Top.Count));
        Assert.All(logprobs, t => Assert.True(t.Top[0].Logprob >= t.Top[1].Logprob));
        Assert.Equal(Encoding.UTF8.GetBytes(" and"), logprobs[0].Bytes);
    }

    [Fact]
    public async Task CompleteAsync_LegacyByteTokens_DecodesEscapedBytes()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        server.Enqueue(ScriptedReply.Json("""
            {"model":"m","choices":[{"index":0,"text":"—","finish_reason":"stop","logprobs":{
              "tokens":["bytes:\\xe2\\x80","bytes:\\x94"],"token_logprobs":[-0.5,-0.25],
              "top_logprobs":[{"bytes:\\xe2\\x80":-0.5},{"bytes:\\x94":-0.25}],"text_offset":[0,0]}}],
             "usage":{"prompt_tokens":3,"completion_tokens":2}}
            """));
        await using var host = TeacherTestHost.Create(TeacherTestHost.OpenAiTeacher("base", server.V1, ("Mode", "completion")));
        var teacher = await host.Factory.GetAsync("base", CancellationToken.None);

        var response = await teacher.CompleteAsync(TeacherTestHost.Completion("dash", topLogprobs: 1), CancellationToken.None);

        var logprobs = response.Choices[0].Logprobs!;
        Assert.Equal([0xE2, 0x80], logprobs[0].Bytes);
        Assert.Equal([0x94], logprobs[1].Bytes);
        Assert.Equal("—", Encoding.UTF8.GetString([.. logprobs.SelectMany(t => t.Bytes!)]));
        Assert.Equal(new TokenUsage(3, 2), response.Usage);
    }

    [Fact]
    public async Task ScoreAsync_Echo_ReturnsOnlyContinuationTokens()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        await using var host = TeacherTestHost.Create(TeacherTestHost.OpenAiTeacher("base", server.V1, ("Mode", "completion")));
        var teacher = await host.Factory.GetAsync("base", CancellationToken.None);
        var scorer = Assert.IsAssignableFrom<IScoringTeacherClient>(teacher);

        var scores = await scorer.ScoreAsync("Question: why?\nAnswer:", " Because it is.", 2, CancellationToken.None);

        var sent = Assert.Single(server.Requests);
        Assert.True(sent.IsEcho);
        Assert.Equal(1, sent.IntField("max_tokens"));
        Assert.Equal(2, sent.IntField("logprobs"));
        Assert.Equal("Question: why?\nAnswer: Because it is.", sent.StringField("prompt"));

        // Fake tokens: "Question:", " why?", "\nAnswer:", " Because", " it", " is.", " next" (generated, dropped).
        Assert.Equal([" Because", " it", " is."], scores.Select(s => s.Token).ToList());
        Assert.Equal([FakeOpenAiResponses.LogprobAt(3), FakeOpenAiResponses.LogprobAt(4), FakeOpenAiResponses.LogprobAt(5)], scores.Select(s => s.Logprob).ToList());
        Assert.All(scores, s => Assert.Equal(2, s.Top.Count));
    }

    [Fact]
    public async Task ScoreAsync_EmptyContext_DropsTheUnconditionedFirstToken()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        await using var host = TeacherTestHost.Create(TeacherTestHost.OpenAiTeacher("base", server.V1, ("Mode", "completion")));
        var scorer = (IScoringTeacherClient)await host.Factory.GetAsync("base", CancellationToken.None);

        var scores = await scorer.ScoreAsync("", "Because it is.", 0, CancellationToken.None);

        Assert.Equal([" it", " is."], scores.Select(s => s.Token).ToList());
        Assert.All(scores, s => Assert.Empty(s.Top));
    }

    [Fact]
    public async Task GetAsync_ChatModeWithoutScoring_IsNotAScoringClient()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        await using var host = TeacherTestHost.Create(TeacherTestHost.OpenAiTeacher("t", server.V1));

        var teacher = await host.Factory.GetAsync("t", CancellationToken.None);

        Assert.IsAssignableFrom<IStreamingTeacherClient>(teacher);
        Assert.False(teacher is IScoringTeacherClient);
        Assert.True(teacher.Capabilities.StructuredOutput);
    }

    [Fact]
    public async Task CompleteAsync_JsonSchema_SendsResponseFormat()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        server.Default = ScriptedReply.Answer("""{"score":4}""");
        await using var host = TeacherTestHost.Create(TeacherTestHost.OpenAiTeacher("t", server.V1));
        var teacher = await host.Factory.GetAsync("t", CancellationToken.None);
        const string schema = """{"type":"object","properties":{"score":{"type":"integer"}},"required":["score"]}""";

        var response = await teacher.CompleteAsync(TeacherTestHost.Chat("rate it") with { JsonSchema = schema }, CancellationToken.None);

        var format = Assert.Single(server.Requests).Json.GetProperty("response_format");
        Assert.Equal("json_schema", format.GetProperty("type").GetString());
        Assert.Equal("integer", format.GetProperty("json_schema").GetProperty("schema").GetProperty("properties").GetProperty("score").GetProperty("type").GetString());
        Assert.Equal("""{"score":4}""", response.Text);
    }

    [Fact]
    public async Task CompleteAsync_AzureEndpoint_UsesDeploymentPathAndApiKeyHeader()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        server.Default = ScriptedReply.Answer(Answer);
        var settings = TeacherTestHost.OpenAiTeacher("az", server.BaseUri, ("Kind", "azure"), ("Deployment", "gpt4o-dep"), ("Model", null), ("ApiKeyEnvironmentVariable", "AZ_KEY"));
        await using var host = TeacherTestHost.Create(settings, new Dictionary<string, string> { ["AZ_KEY"] = "azure-key-123" });
        var teacher = await host.Factory.GetAsync("az", CancellationToken.None);

        var response = await teacher.CompleteAsync(TeacherTestHost.Chat("hi", topLogprobs: 1), CancellationToken.None);

        var sent = Assert.Single(server.Requests);
        Assert.Equal("/openai/deployments/gpt4o-dep/chat/completions", sent.Path);
        Assert.Contains("api-version=", sent.Query, StringComparison.Ordinal);
        Assert.Equal("azure-key-123", sent.Header("api-key"));
        Assert.Null(sent.Header("Authorization"));
        Assert.Equal(Answer, response.Text);
        Assert.NotNull(response.Choices[0].Logprobs);
    }

    [Fact]
    public async Task CompleteAsync_AzureCompletionMode_UsesDeploymentCompletionsPath()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        var settings = TeacherTestHost.OpenAiTeacher("az", server.BaseUri, ("Kind", "azure"), ("Deployment", "instruct"), ("Mode", "completion"), ("ApiKeyEnvironmentVariable", "AZ_KEY"));
        await using var host = TeacherTestHost.Create(settings, new Dictionary<string, string> { ["AZ_KEY"] = "azure-key-123" });
        var teacher = await host.Factory.GetAsync("az", CancellationToken.None);

        await teacher.CompleteAsync(TeacherTestHost.Completion("Hello"), CancellationToken.None);

        var sent = Assert.Single(server.Requests);
        Assert.Equal("/openai/deployments/instruct/completions", sent.Path);
        Assert.Equal("?api-version=2024-10-21", sent.Query);
        Assert.Equal("azure-key-123", sent.Header("api-key"));
    }
}
