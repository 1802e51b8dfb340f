using LLMDistill.Teachers;
using LLMDistill.Teachers.Limits;
using LLMDistill.Teachers.Resilience;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LLMDistill.Tests.Teachers;

/// <summary>The resilience decorator around any teacher, on a fake clock: waits are exact and nothing real sleeps.</summary>
public sealed class ResilientTeacherClientTests
{
    private static readonly TeacherOptions Options = new()
    {
        Kind = "local", MaxRetries = 3, RetryBaseDelaySeconds = 1, MaxRetryDelaySeconds = 60, AttemptTimeoutSeconds = 100, TotalTimeoutSeconds = 1000,
    };

    private static (ResilientTeacherClient Client, FakeLocalTeacher Inner, FakeTimeProvider Time, TeacherRateLimiter Limiter) Create()
    {
        var time = new FakeTimeProvider();
        var inner = new FakeLocalTeacher("mini");
        var limiter = new TeacherRateLimiter("mini", Options, time, NullLogger.Instance);
        return (new ResilientTeacherClient(inner, Options, limiter, time, NullLogger.Instance), inner, time, limiter);
    }

    private static async Task AdvanceUntilAsync(FakeTimeProvider time, Task task, TimeSpan step, int maxSteps)
    {
        for (var i = 0; i < maxSteps && !task.IsCompleted; i++)
        {
            await Task.Delay(5); // let continuations schedule their next timer
            time.Advance(step);
        }
    }

    [Fact]
    public async Task CompleteAsync_RateLimitedWithRetryAfter_WaitsExactlyThatLongAndPausesTheLimiter()
    {
        var (client, inner, time, limiter) = Create();
        using var _ = limiter;
        inner.Failures.Enqueue(new TeacherException("mini", TeacherErrorCategory.RateLimited, "HTTP 429", 429) { RetryAfter = TimeSpan.FromSeconds(30) });

        var call = client.CompleteAsync(TeacherTestHost.Chat("hi"), CancellationToken.None);
        await Task.Delay(50);
        time.Advance(TimeSpan.FromSeconds(29.9));
        await Task.Delay(50);
        Assert.False(call.IsCompleted);
        Assert.Equal(1, inner.Calls);
        var other = limiter.AcquireAsync(1, CancellationToken.None).AsTask(); // another caller is held by the same pause
        await Task.Delay(20);
        Assert.False(other.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.1));

        Assert.Equal("local answer 2", (await call.WaitAsync(TimeSpan.FromSeconds(5))).Text);
        (await other.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
    }

    [Fact]
    public async Task CompleteAsync_UnavailableWithoutRetryAfter_BacksOffAndRetries()
    {
        var (client, inner, time, limiter) = Create();
        using var _ = limiter;
        inner.Failures.Enqueue(new TeacherException("mini", TeacherErrorCategory.Unavailable, "HTTP 503", 503));
        inner.Failures.Enqueue(new TeacherException("mini", TeacherErrorCategory.Unavailable, "HTTP 503", 503));

        var call = client.CompleteAsync(TeacherTestHost.Chat("hi"), CancellationToken.None);
        await Task.Delay(50);
        Assert.False(call.IsCompleted); // the first back-off is about a second, not zero
        await AdvanceUntilAsync(time, call, TimeSpan.FromMilliseconds(250), 100);

        Assert.Equal("local answer 3", (await call.WaitAsync(TimeSpan.FromSeconds(5))).Text);
        Assert.Equal(3, inner.Calls);
    }

    [Theory]
    [InlineData(TeacherErrorCategory.BadRequest)]
    [InlineData(TeacherErrorCategory.ContentFilter)]
    [InlineData(TeacherErrorCategory.Authentication)]
    [InlineData(TeacherErrorCategory.MalformedResponse)]
    public async Task CompleteAsync_NonTransientFailure_IsNotRetried(TeacherErrorCategory category)
    {
        var (client, inner, _, limiter) = Create();
        using var __ = limiter;
        inner.Failures.Enqueue(new TeacherException("mini", category, "no"));

        var error = await Assert.ThrowsAsync<TeacherException>(() => client.CompleteAsync(TeacherTestHost.Chat("hi"), CancellationToken.None));

        Assert.Equal(category, error.Category);
        Assert.Equal(1, inner.Calls);
    }

    [Fact]
    public async Task CompleteAsync_OtherExceptions_PropagateUnretried()
    {
        var (client, inner, _, limiter) = Create();
        using var __ = limiter;
        inner.Failures.Enqueue(new InvalidOperationException("bug"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => client.CompleteAsync(TeacherTestHost.Chat("hi"), CancellationToken.None));

        Assert.Equal(1, inner.Calls);
    }
}
