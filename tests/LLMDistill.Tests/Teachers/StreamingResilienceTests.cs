using LLMDistill.Teachers;
using LLMDistill.Tests.Fixtures.OpenAiServer;

namespace LLMDistill.Tests.Teachers;

/// <summary>Streams and cancellation under faults: only the opening of a stream is retried; the caller's cancellation is never retried.</summary>
public sealed class StreamingResilienceTests
{
    [Fact]
    public async Task CompleteAsync_CallerCancels_PropagatesCancellationWithoutRetry()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        server.Default = ScriptedReply.Answer("late").WithDelay(TimeSpan.FromSeconds(10));
        await using var host = TeacherTestHost.Create(TeacherTestHost.OpenAiTeacher("t", server.V1));
        var teacher = await host.Factory.GetAsync("t", CancellationToken.None);
        using var cancel = new CancellationTokenSource();

        var call = teacher.CompleteAsync(TeacherTestHost.Chat("hi"), cancel.Token);
        for (var waited = 0; server.HitCount == 0 && waited < 100; waited++)
        {
            await Task.Delay(50); // cancel only once the request is in flight
        }

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        await Task.Delay(100);

        Assert.Equal(1, server.HitCount);
    }

    [Fact]
    public async Task StreamAsync_503BeforeFirstDelta_IsRetried()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        server.Enqueue(ScriptedReply.Error(503));
        await using var host = TeacherTestHost.Create(TeacherTestHost.OpenAiTeacher("t", server.V1));
        var teacher = (IStreamingTeacherClient)await host.Factory.GetAsync("t", CancellationToken.None);

        var text = "";
        await foreach (var delta in teacher.StreamAsync(TeacherTestHost.Chat("hi"), CancellationToken.None))
        {
            text += delta.Text;
        }

        Assert.Equal("The quick brown fox.", text);
        Assert.Equal(2, server.HitCount);
    }

    [Fact]
    public async Task StreamAsync_DroppedAfterFirstDelta_FailsUnavailableWithoutRetry()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        server.Default = ScriptedReply.Answer("one two three four").WithFault(ScriptedFault.DropMidBody);
        await using var host = TeacherTestHost.Create(TeacherTestHost.OpenAiTeacher("t", server.V1));
        var teacher = (IStreamingTeacherClient)await host.Factory.GetAsync("t", CancellationToken.None);

        var error = await Assert.ThrowsAsync<TeacherException>(async () =>
        {
            await foreach (var _ in teacher.StreamAsync(TeacherTestHost.Chat("hi"), CancellationToken.None))
            {
            }
        });

        Assert.Equal(TeacherErrorCategory.Unavailable, error.Category);
        Assert.Equal(1, server.HitCount);
    }
}
