using LLMDistill.Teachers;
using LLMDistill.Teachers.Limits;
using LLMDistill.Tests.Fixtures.OpenAiServer;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace LLMDistill.Tests.Teachers;

/// <summary>Client-side limits: token buckets on a fake clock, learned server headers, and the request rate over 30 s.</summary>
public sealed class RateLimitTests(ITestOutputHelper output)
{
    [Fact]
    public async Task TokenBucket_FullBucket_GrantsBurstThenPacesAtRate()
    {
        var time = new FakeTimeProvider();
        using var bucket = new TokenBucketLimiter(capacity: 2, perMinute: 60, time);

        Assert.True((await bucket.AcquireAsync(1)).IsAcquired);
        Assert.True((await bucket.AcquireAsync(1)).IsAcquired);
        var third = bucket.AcquireAsync(1).AsTask();
        time.Advance(TimeSpan.FromMilliseconds(990));
        Assert.False(third.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(10));

        Assert.True((await third.WaitAsync(TimeSpan.FromSeconds(5))).IsAcquired);
        Assert.False(bucket.AttemptAcquire(1).IsAcquired);
    }

    [Fact]
    public async Task TokenBucket_LargerThanCapacity_TakesFullBucketAndRunsIntoDebt()
    {
        var time = new FakeTimeProvider();
        using var bucket = new TokenBucketLimiter(capacity: 10, perMinute: 600, time); // 10 per second

        Assert.True((await bucket.AcquireAsync(25)).IsAcquired);
        Assert.Equal(-15, bucket.Available, 6);
        var next = bucket.AcquireAsync(1).AsTask();
        time.Advance(TimeSpan.FromMilliseconds(1500));
        Assert.False(next.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(100));

        Assert.True((await next.WaitAsync(TimeSpan.FromSeconds(5))).IsAcquired);
    }

    [Fact]
    public void TokenBucket_AdjustAndClamp_CorrectAvailablePermits()
    {
        var time = new FakeTimeProvider();
        using var bucket = new TokenBucketLimiter(capacity: 100, perMinute: 6000, time);
        Assert.True(bucket.AttemptAcquire(80).IsAcquired);

        bucket.Adjust(-30); // estimated 80, used 50
        Assert.Equal(50, bucket.Available, 6);
        bucket.Adjust(-500); // never above capacity
        Assert.Equal(100, bucket.Available, 6);
        bucket.Clamp(7); // the server says only 7 remain
        Assert.Equal(7, bucket.Available, 6);
        bucket.Clamp(50); // never raised
        Assert.Equal(7, bucket.Available, 6);
    }

    [Fact]
    public async Task TeacherRateLimiter_MaxConcurrency_QueuesUntilAPermitIsReleased()
    {
        using var limiter = new TeacherRateLimiter("t", new TeacherOptions { Kind = "openai", MaxConcurrency = 2 }, new FakeTimeProvider(), NullLogger.Instance);
        var first = await limiter.AcquireAsync(1, CancellationToken.None);
        using var second = await limiter.AcquireAsync(1, CancellationToken.None);

        var third = limiter.AcquireAsync(1, CancellationToken.None).AsTask();
        await Task.Delay(50);
        Assert.False(third.IsCompleted);
        first.Dispose();

        using var granted = await third.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task TeacherRateLimiter_SettleAfterCall_CorrectsTheTokenEstimate()
    {
        var time = new FakeTimeProvider();
        using var limiter = new TeacherRateLimiter("t", new TeacherOptions { Kind = "openai", TokensPerMinute = 6000 }, time, NullLogger.Instance);

        using (var permit = await limiter.AcquireAsync(100, CancellationToken.None))
        {
            Assert.Equal(0, limiter.AvailableTokens!.Value, 6);
            permit.Settle(40);
        }

        Assert.Equal(60, limiter.AvailableTokens!.Value, 6);
    }

    [Fact]
    public async Task TeacherRateLimiter_ExhaustedServerHeaders_PauseUntilReset()
    {
        var time = new FakeTimeProvider();
        using var limiter = new TeacherRateLimiter("t", new TeacherOptions { Kind = "openai", RequestsPerMinute = 600 }, time, NullLogger.Instance);

        limiter.Observe(new RateLimitSnapshot(0, TimeSpan.FromSeconds(2), 5000, TimeSpan.FromSeconds(1)));
        var waiting = limiter.AcquireAsync(1, CancellationToken.None).AsTask();
        time.Advance(TimeSpan.FromMilliseconds(1900));
        Assert.False(waiting.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(100));

        using var permit = await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(9, limiter.AvailableRequests!.Value, 6); // the server's budget is full again at reset: one second's burst, less this request
    }

    [Fact]
    public async Task TeacherRateLimiter_PauseFor_HoldsEveryCaller()
    {
        var time = new FakeTimeProvider();
        using var limiter = new TeacherRateLimiter("t", new TeacherOptions { Kind = "openai" }, time, NullLogger.Instance);

        limiter.PauseFor(TimeSpan.FromSeconds(3), "test");
        var a = limiter.AcquireAsync(1, CancellationToken.None).AsTask();
        var b = limiter.AcquireAsync(1, CancellationToken.None).AsTask();
        time.Advance(TimeSpan.FromSeconds(2.9));
        Assert.False(a.IsCompleted || b.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.1));

        (await a.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
        (await b.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
    }

    [Fact]
    public async Task TeacherRateLimiter_CancelledWhileWaiting_Throws()
    {
        using var limiter = new TeacherRateLimiter("t", new TeacherOptions { Kind = "openai", RequestsPerMinute = 1 }, new FakeTimeProvider(), NullLogger.Instance);
        using var _ = await limiter.AcquireAsync(1, CancellationToken.None);
        using var cancel = new CancellationTokenSource();

        var waiting = limiter.AcquireAsync(1, cancel.Token).AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }

    [Fact]
    public async Task CompleteAsync_ServerReportsNoRequestsLeft_NextRequestWaitsForTheReset()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        server.Enqueue(ScriptedReply.Answer("first")
            .WithHeader("x-ratelimit-remaining-requests", "0").WithHeader("x-ratelimit-reset-requests", "800ms")
            .WithHeader("x-ratelimit-remaining-tokens", "90000").WithHeader("x-ratelimit-reset-tokens", "6m0s"));
        await using var host = TeacherTestHost.Create(TeacherTestHost.OpenAiTeacher("t", server.V1, ("RequestsPerMinute", "6000")));
        var teacher = await host.Factory.GetAsync("t", CancellationToken.None);

        await teacher.CompleteAsync(TeacherTestHost.Chat("a"), CancellationToken.None);
        await teacher.CompleteAsync(TeacherTestHost.Chat("b"), CancellationToken.None);

        var gap = server.Requests[1].ReceivedAt - server.Requests[0].ReceivedAt;
        Assert.True(gap >= TimeSpan.FromMilliseconds(750), $"second request after {gap}");
        Assert.Contains(host.Logs.Entries, e => e.EventId == 3003 && e.Message.Contains("x-ratelimit-remaining-requests", StringComparison.Ordinal));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task CompleteAsync_ThirtySecondsOfConcurrentLoad_StaysWithinFivePercentOfRequestsPerMinute()
    {
        const int requestsPerMinute = 240;
        await using var server = await ScriptedOpenAiServer.StartAsync();
        await using var host = TeacherTestHost.Create(TeacherTestHost.OpenAiTeacher(
            "t", server.V1, ("RequestsPerMinute", requestsPerMinute.ToString()), ("MaxConcurrency", "8")));
        var teacher = await host.Factory.GetAsync("t", CancellationToken.None);
        var window = TimeSpan.FromSeconds(30);
        using var stop = new CancellationTokenSource(window + TimeSpan.FromSeconds(0.5));

        var workers = Enumerable.Range(0, 8).Select(async worker =>
        {
            try
            {
                for (var i = 0; ; i++)
                {
                    await teacher.CompleteAsync(TeacherTestHost.Chat($"{worker}-{i}"), stop.Token);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // the window is over
            }
        });
        await Task.WhenAll(workers);

        var requests = server.Requests;
        var start = requests[0].ReceivedAt;
        var inWindow = requests.Count(r => r.ReceivedAt - start < window);
        var expected = requestsPerMinute * window.TotalMinutes; // 120
        output.WriteLine($"{inWindow} requests in {window.TotalSeconds} s (limit {expected}); {requests.Count} in all");
        Assert.InRange(inWindow, expected * 0.95, expected * 1.05);
    }
}
