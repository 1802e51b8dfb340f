using System.Text;
using LLMDistill.Teachers;
using LLMDistill.Tests.Fixtures.OpenAiServer;

namespace LLMDistill.Tests.Teachers;

/// <summary>Streaming (IStreamingTeacherClient) through the OpenAI SDK against the scripted loopback server.</summary>
public sealed class OpenAiStreamingTests
{
    private const string Answer = "Paris is the capital of France.";

    [Fact]
    public async Task StreamAsync_ChatWithLogprobs_DeliversTextLogprobsAndFinalUsage()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        server.Default = ScriptedReply.Answer(Answer);
        await using var host = TeacherTestHost.Create(TeacherTestHost.OpenAiTeacher("t", server.V1));
        var teacher = (IStreamingTeacherClient)await host.Factory.GetAsync("t", CancellationToken.None);

        var deltas = new List<TeacherStreamDelta>();
        await foreach (var delta in teacher.StreamAsync(TeacherTestHost.Chat("hi", topLogprobs: 2), CancellationToken.None))
        {
            deltas.Add(delta);
        }

        var sent = Assert.Single(server.Requests);
        Assert.True(sent.IsStream);
        Assert.True(sent.Json.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
        Assert.Equal(Answer, string.Concat(deltas.Select(d => d.Text)));
        var tokens = deltas.Where(d => d.Logprob is not null).Select(d => d.Logprob!).ToList();
        Assert.Equal(FakeOpenAiResponses.Tokenize(Answer), tokens.Select(t => t.Token).ToList());
        Assert.All(tokens, t => Assert.Equal(2, t.Top.Count));
        var last = deltas[^1];
        Assert.Equal("stop", last.FinishReason);
        Assert.Equal(FakeOpenAiResponses.Tokenize(Answer).Count, last.Usage!.Value.CompletionTokens);
        Assert.All(deltas.Take(deltas.Count - 1), d => Assert.Null(d.FinishReason));
    }

    [Theory]
    [InlineData("chat")]
    [InlineData("completion")]
    public async Task StreamAsync_SlowServer_DeliversFirstDeltaBeforeTheStreamEnds(string mode)
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        server.Default = ScriptedReply.Answer("one two three four five") with { EventDelay = TimeSpan.FromMilliseconds(150) };
        await using var host = TeacherTestHost.Create(TeacherTestHost.OpenAiTeacher("t", server.V1, ("Mode", mode)));
        var teacher = (IStreamingTeacherClient)await host.Factory.GetAsync("t", CancellationToken.None);
        var request = mode == "chat" ? TeacherTestHost.Chat("hi") : TeacherTestHost.Completion("count:");

        var clock = System.Diagnostics.Stopwatch.StartNew();
        TimeSpan? first = null;
        await foreach (var delta in teacher.StreamAsync(request, CancellationToken.None))
        {
            first ??= clock.Elapsed;
        }

        Assert.True(clock.Elapsed - first >= TimeSpan.FromMilliseconds(500), $"first delta at {first}, end at {clock.Elapsed}");
    }

    [Fact]
    public async Task StreamAsync_CompletionMode_StreamsLegacyChunks()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        server.Default = ScriptedReply.Answer(" to be continued");
        await using var host = TeacherTestHost.Create(TeacherTestHost.OpenAiTeacher("base", server.V1, ("Mode", "completion")));
        var teacher = (IStreamingTeacherClient)await host.Factory.GetAsync("base", CancellationToken.None);

        var text = new StringBuilder();
        TeacherStreamDelta? last = null;
        await foreach (var delta in teacher.StreamAsync(TeacherTestHost.Completion("It was", topLogprobs: 1), CancellationToken.None))
        {
            text.Append(delta.Text);
            last = delta;
        }

        Assert.Equal("/v1/completions", Assert.Single(server.Requests).Path);
        Assert.Equal(" to be continued", text.ToString());
        Assert.Equal("stop", last!.FinishReason);
        Assert.NotNull(last.Usage);
    }
}
