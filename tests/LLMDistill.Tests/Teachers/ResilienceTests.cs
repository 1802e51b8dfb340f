using System.Diagnostics;
using LLMDistill.Teachers;
using LLMDistill.Tests.Fixtures.OpenAiServer;

namespace LLMDistill.Tests.Teachers;

/// <summary>Retries, timeouts and the circuit breaker against a fault-injecting loopback server; hits are counted on the server.</summary>
public sealed class ResilienceTests
{
    [Fact]
    public async Task CompleteAsync_429WithRetryAfterSeconds_WaitsThatLongThenSucceeds()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        server.Enqueue(ScriptedReply.Error(429, "slow down").WithHeader("Retry-After", "1"));
        await using var host = TeacherTestHost.Create(TeacherTestHost.OpenAiTeacher("t", server.V1));
        var teacher = await host.Factory.GetAsync("t", CancellationToken.None);

        var clock = Stopwatch.StartNew();
        var response = await teacher.CompleteAsync(TeacherTestHost.Chat("hi"), CancellationToken.None);

        Assert.Equal("The quick brown fox.", response.Text);
        Assert.Equal(2, server.HitCount);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.95), $"retried after {clock.Elapsed}");
        var gap = server.Requests[1].ReceivedAt - server.Requests[0].ReceivedAt;
        Assert.True(gap >= TimeSpan.FromSeconds(0.95), $"gap {gap}");
        Assert.Contains(host.Logs.Entries, e => e.EventId == 3002 && e.Message.Contains("RateLimited", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CompleteAsync_429WithRetryAfterMs_HonoursMilliseconds()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        server.Enqueue(ScriptedReply.Error(429).WithHeader("retry-after-ms", "400").WithHeader("Retry-After", "30"));
        await using var host = TeacherTestHost.Create(TeacherTestHost.OpenAiTeacher("t", server.V1));
        var teacher = await host.Factory.GetAsync("t", CancellationToken.None);

        var clock = Stopwatch.StartNew();
        await teacher.CompleteAsync(TeacherTestHost.Chat("hi"), CancellationToken.None);

        Assert.Equal(2, server.HitCount);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.38, 5); // base back-off is 10 ms: only the header explains the wait
    }

    [Fact]
    public async Task CompleteAsync_500Then503_RetriesUntilSuccess()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        server.Enqueue(ScriptedReply.Error(500), ScriptedReply.Error(503));
        await using var host = TeacherTestHost.Create(TeacherTestHost.OpenAiTeacher("t", server.V1));
        var teacher = await host.Factory.GetAsync("t", CancellationToken.None);

        var response = await teacher.CompleteAsync(TeacherTestHost.Chat("hi"), CancellationToken.None);

        Assert.Equal("The quick brown fox.", response.Text);
        Assert.Equal(3, server.HitCount);
    }

    [Fact]
    public async Task CompleteAsync_Persistent503_FailsUnavailableAfterAllRetries()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        server.Default = ScriptedReply.Error(503, "overloaded");
        await using var host = TeacherTestHost.Create(TeacherTestHost.OpenAiTeacher("t", server.V1, ("MaxRetries", "2")));
        var teacher = await host.Factory.GetAsync("t", CancellationToken.None);

        var error = await Assert.ThrowsAsync<TeacherException>(() => teacher.CompleteAsync(TeacherTestHost.Chat("hi"), CancellationToken.None));

        Assert.Equal(TeacherErrorCategory.Unavailable, error.Category);
        Assert.Equal(503, error.StatusCode);
        Assert.Contains("overloaded", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, server.HitCount);
    }

    [Theory]
    [InlineData(400, TeacherErrorCategory.BadRequest)]
    [InlineData(401, TeacherErrorCategory.Authentication)]
    [InlineData(403, TeacherErrorCategory.Authentication)]
    [InlineData(404, TeacherErrorCategory.NotFound)]
    [InlineData(422, TeacherErrorCategory.BadRequest)]
    public async Task CompleteAsync_NonTransientStatus_FailsAtOnceWithCategory(int status, TeacherErrorCategory expected)
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        server.Default = ScriptedReply.Error(status, "nope").WithHeader("Retry-After", "0");
        await using var host = TeacherTestHost.Create(TeacherTestHost.OpenAiTeacher("t", server.V1));
        var teacher = await host.Factory.GetAsync("t", CancellationToken.None);

        var error = await Assert.ThrowsAsync<TeacherException>(() => teacher.CompleteAsync(TeacherTestHost.Chat("hi"), CancellationToken.None));

        Assert.Equal(expected, error.Category);
        Assert.Equal(status, error.StatusCode);
        Assert.StartsWith($"teacher 't': {expected}: HTTP {status}: nope", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, server.HitCount);
    }

    [Theory]
    [InlineData(400, "content_filter", TeacherErrorCategory.ContentFilter)]
    [InlineData(429, "insufficient_quota", TeacherErrorCategory.BudgetExhausted)]
    public async Task CompleteAsync_NonTransientCode_FailsAtOnce(int status, string code, TeacherErrorCategory expected)
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        server.Default = ScriptedReply.Error(status, "refused", code);
        await using var host = TeacherTestHost.Create(TeacherTestHost.OpenAiTeacher("t", server.V1));
        var teacher = await host.Factory.GetAsync("t", CancellationToken.None);

        var error = await Assert.ThrowsAsync<TeacherException>(() => teacher.CompleteAsync(TeacherTestHost.Chat("hi"), CancellationToken.None));

        Assert.Equal(expected, error.Category);
        Assert.Equal(1, server.HitCount);
    }

    [Fact]
    public async Task CompleteAsync_FinishReasonContentFilter_IsContentFilterNotRetried()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        server.Default = ScriptedReply.Json("""{"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":null},"finish_reason":"content_filter"}]}""");
        await using var host = TeacherTestHost.Create(TeacherTestHost.OpenAiTeacher("t", server.V1));
        var teacher = await host.Factory.GetAsync("t", CancellationToken.None);

        var error = await Assert.ThrowsAsync<TeacherException>(() => teacher.CompleteAsync(TeacherTestHost.Chat("hi"), CancellationToken.None));

        Assert.Equal(TeacherErrorCategory.ContentFilter, error.Category);
        Assert.Equal(1, server.HitCount);
    }

    [Fact]
    public async Task CompleteAsync_MalformedJson_FailsMalformedWithoutRetry()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        server.Default = ScriptedReply.Malformed();
        await using var host = TeacherTestHost.Create(TeacherTestHost.OpenAiTeacher("t", server.V1));
        var teacher = await host.Factory.GetAsync("t", CancellationToken.None);

        var error = await Assert.ThrowsAsync<TeacherException>(() => teacher.CompleteAsync(TeacherTestHost.Chat("hi"), CancellationToken.None));

        Assert.Equal(TeacherErrorCategory.MalformedResponse, error.Category);
        Assert.Contains("malformed chat response", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, server.HitCount);
    }

    [Fact]
    public async Task CompleteAsync_MissingChoices_FailsMalformedNamingTheField()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        server.Default = ScriptedReply.Json("""{"model":"m","usage":{"prompt_tokens":1,"completion_tokens":1}}""");
        await using var host = TeacherTestHost.Create(TeacherTestHost.OpenAiTeacher("t", server.V1));
        var teacher = await host.Factory.GetAsync("t", CancellationToken.None);

        var error = await Assert.ThrowsAsync<TeacherException>(() => teacher.CompleteAsync(TeacherTestHost.Chat("hi"), CancellationToken.None));

        Assert.Equal(TeacherErrorCategory.MalformedResponse, error.Category);
        Assert.Contains("'choices' is missing", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ScriptedFault.DropConnection)]
    [InlineData(ScriptedFault.DropMidBody)]
    public async Task CompleteAsync_DroppedConnection_RetriesThenSucceeds(ScriptedFault fault)
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        server.Enqueue(ScriptedReply.Answer("lost").WithFault(fault));
        await using var host = TeacherTestHost.Create(TeacherTestHost.OpenAiTeacher("t", server.V1));
        var teacher = await host.Factory.GetAsync("t", CancellationToken.None);

        var response = await teacher.CompleteAsync(TeacherTestHost.Chat("hi"), CancellationToken.None);

        Assert.Equal("The quick brown fox.", response.Text);
        Assert.Equal(2, server.HitCount);
    }

    [Fact]
    public async Task CompleteAsync_SlowerThanAttemptTimeout_RetriesAndSucceeds()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        await using var host = TeacherTestHost.Create(TeacherTestHost.OpenAiTeacher("t", server.V1, ("AttemptTimeoutSeconds", "0.3")));
        var teacher = await WarmAsync(host);
        server.Enqueue(ScriptedReply.Answer("late").WithDelay(TimeSpan.FromSeconds(10)));

        var clock = Stopwatch.StartNew();
        var response = await teacher.CompleteAsync(TeacherTestHost.Chat("hi"), CancellationToken.None);

        Assert.Equal("The quick brown fox.", response.Text);
        Assert.Equal(1 + 2, server.HitCount);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.29, 5);
    }

    [Fact]
    public async Task CompleteAsync_AlwaysSlow_FailsUnavailableNamingTheTimeout()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        await using var host = TeacherTestHost.Create(TeacherTestHost.OpenAiTeacher("t", server.V1, ("AttemptTimeoutSeconds", "0.4"), ("MaxRetries", "2")));
        var teacher = await WarmAsync(host);
        server.Default = ScriptedReply.Answer("late").WithDelay(TimeSpan.FromSeconds(10));

        var error = await Assert.ThrowsAsync<TeacherException>(() => teacher.CompleteAsync(TeacherTestHost.Chat("hi"), CancellationToken.None));

        Assert.Equal(TeacherErrorCategory.Unavailable, error.Category);
        Assert.Contains("Teachers:t:AttemptTimeoutSeconds", error.Message, StringComparison.Ordinal);
        Assert.Equal(1 + 3, server.HitCount);
    }

    [Fact]
    public async Task CompleteAsync_TotalTimeout_StopsRetryingInTime()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        await using var host = TeacherTestHost.Create(TeacherTestHost.OpenAiTeacher(
            "t", server.V1, ("AttemptTimeoutSeconds", "0.3"), ("TotalTimeoutSeconds", "0.5"), ("MaxRetries", "20")));
        var teacher = await WarmAsync(host);
        server.Default = ScriptedReply.Answer("late").WithDelay(TimeSpan.FromSeconds(10));

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<TeacherException>(() => teacher.CompleteAsync(TeacherTestHost.Chat("hi"), CancellationToken.None));

        Assert.Equal(TeacherErrorCategory.Unavailable, error.Category);
        Assert.Contains("Teachers:t:TotalTimeoutSeconds", error.Message, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.45, 3);
        Assert.InRange(server.HitCount - 1, 1, 2);
    }

    [Fact]
    public async Task CompleteAsync_RetryAfterLongerThanMaxDelay_FailsRateLimitedAtOnce()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        server.Default = ScriptedReply.Error(429).WithHeader("Retry-After", "3600");
        await using var host = TeacherTestHost.Create(TeacherTestHost.OpenAiTeacher("t", server.V1, ("MaxRetryDelaySeconds", "30")));
        var teacher = await host.Factory.GetAsync("t", CancellationToken.None);

        var error = await Assert.ThrowsAsync<TeacherException>(() => teacher.CompleteAsync(TeacherTestHost.Chat("hi"), CancellationToken.None));

        Assert.Equal(TeacherErrorCategory.RateLimited, error.Category);
        Assert.Equal(TimeSpan.FromHours(1), error.RetryAfter);
        Assert.Contains("Teachers:t:MaxRetryDelaySeconds", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, server.HitCount);
    }

    [Fact]
    public async Task CompleteAsync_RepeatedFailures_OpenTheCircuitWithoutCallingTheServer()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        server.Default = ScriptedReply.Error(503);
        await using var host = TeacherTestHost.Create(TeacherTestHost.OpenAiTeacher(
            "t", server.V1, ("MaxRetries", "0"), ("CircuitBreakerMinimumThroughput", "2"), ("CircuitBreakerFailureRatio", "0.5")));
        var teacher = await host.Factory.GetAsync("t", CancellationToken.None);

        for (var i = 0; i < 2; i++)
        {
            var failure = await Assert.ThrowsAsync<TeacherException>(() => teacher.CompleteAsync(TeacherTestHost.Chat("hi"), CancellationToken.None));
            Assert.Equal(TeacherErrorCategory.Unavailable, failure.Category);
        }

        var open = await Assert.ThrowsAsync<TeacherException>(() => teacher.CompleteAsync(TeacherTestHost.Chat("hi"), CancellationToken.None));

        Assert.Equal(TeacherErrorCategory.CircuitOpen, open.Category);
        Assert.True(open.IsFatal);
        Assert.Equal(2, server.HitCount);
        Assert.Contains(host.Logs.Entries, e => e.EventId == 3004);
    }

    // One answered request first, so that JIT and connection set-up do not eat into the short timeouts under test.
    private static async Task<ITeacherClient> WarmAsync(TeacherTestHost host)
    {
        var teacher = await host.Factory.GetAsync("t", CancellationToken.None);
        await teacher.CompleteAsync(TeacherTestHost.Chat("warm-up"), CancellationToken.None);
        return teacher;
    }
}
