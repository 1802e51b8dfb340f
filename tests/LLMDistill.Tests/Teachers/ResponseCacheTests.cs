using LLMDistill.Teachers;
using LLMDistill.Teachers.Caching;
using LLMDistill.Tests.Fixtures.OpenAiServer;

namespace LLMDistill.Tests.Teachers;

/// <summary>The on-disk response cache: re-runs make no HTTP calls; keys cover the full request; corrupt entries heal.</summary>
public sealed class ResponseCacheTests
{
    private static Dictionary<string, string?> Settings(ScriptedOpenAiServer server, string cacheDirectory)
    {
        var settings = TeacherTestHost.OpenAiTeacher("chat", server.V1, ("Cache", "true"), ("PromptPricePerMillion", "1"), ("CompletionPricePerMillion", "2"));
        foreach (var (key, value) in TeacherTestHost.OpenAiTeacher("base", server.V1, ("Cache", "true"), ("Mode", "completion")))
        {
            settings[key] = value;
        }

        settings["Teachers:CacheDirectory"] = cacheDirectory;
        return settings;
    }

    private static async Task<List<string>> RunAsync(TeacherTestHost host)
    {
        var chat = await host.Factory.GetAsync("chat", CancellationToken.None);
        var baseModel = await host.Factory.GetAsync("base", CancellationToken.None);
        var results = new List<string>();
        foreach (var question in new[] { "one", "two", "three" })
        {
            var response = await chat.CompleteAsync(TeacherTestHost.Chat(question, topLogprobs: 2, seed: 7), CancellationToken.None);
            results.Add($"{response.Text}|{response.Choices[0].Logprobs!.Count}|{response.Choices[0].Logprobs![0].Top[1].Token}|{response.FromCache}");
        }

        var many = await chat.CompleteAsync(TeacherTestHost.Chat("four", n: 2), CancellationToken.None);
        results.Add(string.Join("/", many.Choices.Select(c => c.Text)) + $"|{many.FromCache}");
        var completion = await baseModel.CompleteAsync(TeacherTestHost.Completion("Once", topLogprobs: 1), CancellationToken.None);
        results.Add($"{completion.Text}|{completion.FromCache}");
        var score = await ((IScoringTeacherClient)baseModel).ScoreAsync("Q:", " A.", 1, CancellationToken.None);
        results.Add(string.Join(",", score.Select(s => $"{s.Token}:{s.Logprob}")));
        return results;
    }

    [Fact]
    public async Task SameRequestsTwice_SecondRunMakesZeroHttpCalls()
    {
        using var cache = TeacherTestHost.TemporaryCache();
        await using var server = await ScriptedOpenAiServer.StartAsync();

        List<string> first, second;
        await using (var run1 = TeacherTestHost.Create(Settings(server, cache.Path)))
        {
            first = await RunAsync(run1);
        }

        var hitsAfterFirstRun = server.HitCount;
        IReadOnlyList<TeacherUsageReport> usage;
        await using (var run2 = TeacherTestHost.Create(Settings(server, cache.Path)))
        {
            second = await RunAsync(run2);
            usage = run2.Factory.Usage();
        }

        Assert.Equal(6, hitsAfterFirstRun);
        Assert.Equal(hitsAfterFirstRun, server.HitCount);
        Assert.Equal(first.Select(r => r.Replace("|False", "", StringComparison.Ordinal)), second.Select(r => r.Replace("|True", "", StringComparison.Ordinal)));
        Assert.All(second.Take(5), r => Assert.EndsWith("|True", r, StringComparison.Ordinal));
        var chatUsage = usage.Single(u => u.Teacher == "chat");
        Assert.Equal(new TeacherUsageReport("chat", 4, 4, 0, 0, 0m), chatUsage);
        Assert.Equal(new TeacherUsageReport("base", 2, 2, 0, 0, 0m), usage.Single(u => u.Teacher == "base"));
    }

    [Fact]
    public async Task StreamAsync_Twice_ReplaysTextAndLogprobsFromCache()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        await using var host = TeacherTestHost.Create(TeacherTestHost.OpenAiTeacher("t", server.V1, ("Cache", "true")));
        var teacher = (IStreamingTeacherClient)await host.Factory.GetAsync("t", CancellationToken.None);
        var request = TeacherTestHost.Chat("hi", topLogprobs: 3);

        async Task<(string Text, List<TokenLogprob> Logprobs, TeacherStreamDelta Last)> StreamAsync()
        {
            var text = "";
            var logprobs = new List<TokenLogprob>();
            TeacherStreamDelta? last = null;
            await foreach (var delta in teacher.StreamAsync(request, CancellationToken.None))
            {
                text += delta.Text;
                if (delta.Logprob is { } logprob)
                {
                    logprobs.Add(logprob);
                }

                last = delta;
            }

            return (text, logprobs, last!);
        }

        var live = await StreamAsync();
        var replay = await StreamAsync();
        var complete = await teacher.CompleteAsync(request, CancellationToken.None);

        Assert.Equal(1, server.HitCount);
        Assert.Equal(live.Text, replay.Text);
        Assert.Equal(live.Logprobs.Select(l => (l.Token, l.Logprob, l.Top.Count)), replay.Logprobs.Select(l => (l.Token, l.Logprob, l.Top.Count)));
        Assert.Equal(live.Last.Usage, replay.Last.Usage);
        Assert.Equal("stop", replay.Last.FinishReason);
        Assert.True(complete.FromCache);
        Assert.Equal(live.Text, complete.Text);
    }

    [Fact]
    public async Task CompleteAsync_AnySamplingChange_IsANewRequest()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        await using var host = TeacherTestHost.Create(TeacherTestHost.OpenAiTeacher("t", server.V1, ("Cache", "true")));
        var teacher = await host.Factory.GetAsync("t", CancellationToken.None);
        var request = TeacherTestHost.Chat("hi", seed: 1);
        var variants = new[]
        {
            request,
            request with { Sampling = request.Sampling with { Seed = 2 } },
            request with { Sampling = request.Sampling with { Temperature = 0.9f } },
            request with { Sampling = request.Sampling with { TopP = 0.5f } },
            request with { Sampling = request.Sampling with { MaxTokens = 33 } },
            request with { Sampling = request.Sampling with { Stop = ["x"] } },
            request with { TopLogprobs = 1 },
            request with { N = 2 },
            request with { Messages = [new ChatTurn("user", "hi"), new ChatTurn("assistant", "yo")] },
            request with { Messages = [new ChatTurn("system", "hi")] },
        };

        foreach (var variant in variants)
        {
            await teacher.CompleteAsync(variant, CancellationToken.None);
        }

        foreach (var variant in variants)
        {
            Assert.True((await teacher.CompleteAsync(variant, CancellationToken.None)).FromCache);
        }

        Assert.Equal(variants.Length, server.HitCount);
    }

    [Fact]
    public void CacheKey_DependsOnTeacherEndpointModelAndIdentity()
    {
        var request = TeacherTestHost.Chat("hi");
        string Key(string teacher = "t", string endpoint = "http://a/v1", string model = "m", string? identity = null)
            => new TeacherCacheKey(teacher, "openai", endpoint, model, null, TeacherMode.Chat, identity).ForRequest(request);

        var keys = new[] { Key(), Key(teacher: "u"), Key(endpoint: "http://b/v1"), Key(model: "n"), Key(identity: "weights-2") };

        Assert.Equal(keys.Length, keys.Distinct().Count());
        Assert.Equal(Key(), Key());
        Assert.Matches("^[0-9a-f]{64}$", Key());
    }

    [Fact]
    public async Task CompleteAsync_CorruptEntry_IsIgnoredLoggedAndRewritten()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        await using var host = TeacherTestHost.Create(TeacherTestHost.OpenAiTeacher("t", server.V1, ("Cache", "true")));
        var teacher = await host.Factory.GetAsync("t", CancellationToken.None);
        var request = TeacherTestHost.Chat("hi");
        await teacher.CompleteAsync(request, CancellationToken.None);
        var file = Assert.Single(Directory.GetFiles(host.CacheDirectory, "*.json", SearchOption.AllDirectories));

        await File.WriteAllTextAsync(file, "{\"format\":1,\"key\":\"trunc");
        var healed = await teacher.CompleteAsync(request, CancellationToken.None);
        var cached = await teacher.CompleteAsync(request, CancellationToken.None);

        Assert.False(healed.FromCache);
        Assert.True(cached.FromCache);
        Assert.Equal(2, server.HitCount);
        Assert.Contains(host.Logs.Entries, e => e.EventId == 3005 && e.Message.Contains(file, StringComparison.Ordinal));
        Assert.Empty(Directory.GetFiles(host.CacheDirectory, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task CompleteAsync_EntryOfAnotherKey_IsTreatedAsCorrupt()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        await using var host = TeacherTestHost.Create(TeacherTestHost.OpenAiTeacher("t", server.V1, ("Cache", "true")));
        var teacher = await host.Factory.GetAsync("t", CancellationToken.None);
        await teacher.CompleteAsync(TeacherTestHost.Chat("a"), CancellationToken.None);
        await teacher.CompleteAsync(TeacherTestHost.Chat("b"), CancellationToken.None);
        var files = Directory.GetFiles(host.CacheDirectory, "*.json", SearchOption.AllDirectories);
        File.Copy(files[0], files[1], overwrite: true); // a misplaced entry must not answer another request

        await teacher.CompleteAsync(TeacherTestHost.Chat("a"), CancellationToken.None);
        await teacher.CompleteAsync(TeacherTestHost.Chat("b"), CancellationToken.None);

        Assert.Equal(3, server.HitCount);
    }

    [Fact]
    public async Task CompleteAsync_CacheOff_CallsTheServerEveryTime()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        await using var host = TeacherTestHost.Create(TeacherTestHost.OpenAiTeacher("t", server.V1, ("Cache", "false")));
        var teacher = await host.Factory.GetAsync("t", CancellationToken.None);

        await teacher.CompleteAsync(TeacherTestHost.Chat("hi"), CancellationToken.None);
        var again = await teacher.CompleteAsync(TeacherTestHost.Chat("hi"), CancellationToken.None);

        Assert.False(again.FromCache);
        Assert.Equal(2, server.HitCount);
        Assert.False(Directory.Exists(host.CacheDirectory));
    }

    [Fact]
    public async Task CompleteAsync_FailedRequest_IsNotCached()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        server.Enqueue(ScriptedReply.Error(400, "bad"));
        await using var host = TeacherTestHost.Create(TeacherTestHost.OpenAiTeacher("t", server.V1, ("Cache", "true")));
        var teacher = await host.Factory.GetAsync("t", CancellationToken.None);

        await Assert.ThrowsAsync<TeacherException>(() => teacher.CompleteAsync(TeacherTestHost.Chat("hi"), CancellationToken.None));
        var response = await teacher.CompleteAsync(TeacherTestHost.Chat("hi"), CancellationToken.None);

        Assert.False(response.FromCache);
        Assert.Equal(2, server.HitCount);
    }
}
