using System.Text.Json;
using LLMDistill.Configuration;
using LLMDistill.Teachers;
using LLMDistill.Tests.Fixtures.OpenAiServer;

namespace LLMDistill.Tests.Teachers;

/// <summary>The API key reaches the server and nothing else: not logs, exception messages, cache files or reports.</summary>
public sealed class SecretLeakTests
{
    private const string FakeKey = "sk-FAKE-3f9c2a7e-DO-NOT-LEAK-5b1d";

    [Fact]
    public async Task EverythingObservable_AfterSuccessesAndFailures_ContainsNoApiKey()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        await using var host = TeacherTestHost.Create(
            TeacherTestHost.OpenAiTeacher("t", server.V1, ("Cache", "true"), ("ApiKeyEnvironmentVariable", "MY_OPENAI_KEY"), ("MaxRetries", "1")),
            new Dictionary<string, string> { ["MY_OPENAI_KEY"] = FakeKey });
        var teacher = await host.Factory.GetAsync("t", CancellationToken.None);
        var observed = new List<string>();

        // Successes (one streamed) fill the cache; failures produce logs and exceptions. OpenAI echoes a rejected key
        // in its 401 message, so the server here does the same.
        await teacher.CompleteAsync(TeacherTestHost.Chat("hello", topLogprobs: 2), CancellationToken.None);
        await foreach (var delta in ((IStreamingTeacherClient)teacher).StreamAsync(TeacherTestHost.Chat("stream"), CancellationToken.None))
        {
            observed.Add(delta.ToString());
        }

        server.Enqueue(
            ScriptedReply.Error(401, $"Incorrect API key provided: {FakeKey}. You can find your API key at ...", "invalid_api_key"),
            ScriptedReply.Error(503, $"upstream rejected Bearer {FakeKey}"),
            ScriptedReply.Error(503, $"upstream rejected Bearer {FakeKey}"),
            ScriptedReply.Error(429, $"key {FakeKey} is over quota", "insufficient_quota"),
            ScriptedReply.Json($$"""{"choices": [{"text": "{{FakeKey}}" """));
        foreach (var question in new[] { "a", "b", "c", "d" })
        {
            var error = await Assert.ThrowsAsync<TeacherException>(() => teacher.CompleteAsync(TeacherTestHost.Chat(question), CancellationToken.None));
            observed.Add(error.ToString());
        }

        observed.Add(JsonSerializer.Serialize(host.Factory.Usage()));
        observed.Add(host.Factory.Definition("t").ToString());
        observed.Add(teacher.ToString()!);
        observed.Add(host.Logs.AllText);
        observed.AddRange(Directory.GetFiles(host.CacheDirectory, "*", SearchOption.AllDirectories).Select(File.ReadAllText));

        // The test can fail: the key did travel, and the server did echo it.
        Assert.Equal($"Bearer {FakeKey}", server.Requests[0].Header("Authorization"));
        Assert.Equal(2, Directory.GetFiles(host.CacheDirectory, "*.json", SearchOption.AllDirectories).Length);
        Assert.Contains(host.Logs.Entries, e => e.EventId == 3002);
        Assert.All(observed, text => Assert.DoesNotContain(FakeKey, text, StringComparison.Ordinal));
        Assert.Contains(observed, text => text.Contains("Incorrect API key provided: ***", StringComparison.Ordinal));
    }

    [Fact]
    public void GetApiKey_KeyInConfigurationFile_IsRejectedNamingTheKey()
    {
        var settings = TeacherTestHost.OpenAiTeacher("t", new Uri("http://127.0.0.1:1/v1"));
        settings["Teachers:t:ApiKey"] = FakeKey;

        var error = Assert.Throws<OptionsValidationException>(() => TeacherTestHost.Create(settings));

        Assert.StartsWith("Teachers:t:ApiKey:", error.Message, StringComparison.Ordinal);
        Assert.Contains("LLMDISTILL_Teachers__t__ApiKey", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeKey, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetApiKey_FromConventionalEnvironmentVariable_IsAccepted()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        var settings = TeacherTestHost.OpenAiTeacher("t", server.V1);
        settings["Teachers:t:ApiKey"] = FakeKey; // what AddEnvironmentVariables("LLMDISTILL_") makes of the variable below
        await using var host = TeacherTestHost.Create(settings, new Dictionary<string, string> { ["LLMDISTILL_Teachers__t__ApiKey"] = FakeKey });
        var teacher = await host.Factory.GetAsync("t", CancellationToken.None);

        await teacher.CompleteAsync(TeacherTestHost.Chat("hi"), CancellationToken.None);

        Assert.Equal($"Bearer {FakeKey}", Assert.Single(server.Requests).Header("Authorization"));
    }
}
