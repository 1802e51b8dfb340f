using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using LLMDistill.Cli.Serving;
using LLMDistill.Teachers;
using LLMDistill.Tests.Fixtures;
using LLMDistill.Tests.Teachers;

namespace LLMDistill.Tests.Serving;

/// <summary>The optional API key: required when set, refused when wrong, never in logs or responses.</summary>
public sealed class ServeSecurityTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string Key = "sk-serve-test-5b1d0e9a7c";

    [Fact]
    public async Task ApiKey_AdapterWithTheKeyIsServedAndAWrongKeyIsRefused()
    {
        var logs = new CapturingLoggerProvider();
        await using var server = await ModelServer.StartAsync(fixture.Models.Model, new ServeOptions { Port = 0 }, Key, logs, CancellationToken.None);
        Dictionary<string, string?> Settings(string name) => TeacherTestHost.OpenAiTeacher(
            name, server.BaseAddress, ("Model", "shakespeare-4m"), ("Mode", "chat"), ("MaxRetries", "2"), ("ApiKeyEnvironmentVariable", "SERVE_KEY"));
        var request = new TeacherRequest([new ChatTurn("user", "Who goes there?")], null, new SamplingParameters(0, 1, 6));

        await using (var good = TeacherTestHost.Create(Settings("good"), new Dictionary<string, string> { ["SERVE_KEY"] = Key }))
        {
            var answer = await (await good.Factory.GetAsync("good", CancellationToken.None)).CompleteAsync(request, CancellationToken.None);
            Assert.Equal((await fixture.Direct.CompleteAsync(request, CancellationToken.None)).Text, answer.Text);
        }

        await using var bad = TeacherTestHost.Create(Settings("bad"), new Dictionary<string, string> { ["SERVE_KEY"] = Key + "x" });
        var error = await Assert.ThrowsAsync<TeacherException>(async () => await (await bad.Factory.GetAsync("bad", CancellationToken.None)).CompleteAsync(request, CancellationToken.None));

        Assert.Equal(TeacherErrorCategory.Authentication, error.Category);
        Assert.Equal(401, error.StatusCode);
        Assert.Equal(2, logs.Entries.Count(e => e.Message.Contains("POST /v1/chat/completions", StringComparison.Ordinal))); // refused once: 401 is not retried
        Assert.DoesNotContain(Key, logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "Missing API key")]
    [InlineData("Basic " + Key, "Missing API key")]
    [InlineData("Bearer sk-serve-test-5b1d0e9a7", "Incorrect API key")] // a prefix of the key
    [InlineData("Bearer " + Key + "0", "Incorrect API key")]
    public async Task ApiKey_MissingOrWrong_Is401WithOpenAiErrorJson(string? authorization, string message)
    {
        await using var server = await ModelServer.StartAsync(fixture.Models.Model, new ServeOptions { Port = 0 }, Key, null, CancellationToken.None);
        using var http = new HttpClient { BaseAddress = server.RootAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        using var health = await http.GetAsync("/health");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("invalid_api_key", json.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.StartsWith(message, json.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Key, body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode); // health checks need no key
    }

    [Fact]
    public async Task ApiKey_RightKey_IsAccepted()
    {
        await using var server = await ModelServer.StartAsync(fixture.Models.Model, new ServeOptions { Port = 0 }, Key, null, CancellationToken.None);
        using var http = new HttpClient { BaseAddress = server.RootAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);

        using var response = await http.GetAsync("/v1/models");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
