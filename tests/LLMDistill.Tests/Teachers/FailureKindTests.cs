using System.ClientModel;
using System.Net.Http;
using System.Net.Sockets;
using LLMDistill.Teachers;
using LLMDistill.Teachers.Resilience;
using LLMDistill.Tests.Fixtures.OpenAiServer;
using Polly.Timeout;

namespace LLMDistill.Tests.Teachers;

/// <summary>The retry log names what failed: the HTTP status, else the kind of transport failure, never <c>HTTP (null)</c>.</summary>
public sealed class FailureKindTests
{
    public static TheoryData<Exception?, string> Failures => new()
    {
        { new HttpRequestException(HttpRequestError.ConnectionError, "refused", new SocketException((int)SocketError.ConnectionRefused)), "ConnectionRefused" },
        { new HttpRequestException(HttpRequestError.NameResolutionError, "no such host"), "NameResolutionError" },
        { new HttpRequestException(HttpRequestError.ResponseEnded, "ended"), "ResponseEnded" },
        { new TimeoutRejectedException("attempt", new OperationCanceledException()), "attempt timeout" },
        { new TaskCanceledException("network timeout"), "timeout" },
        { new IOException("reset"), "IOException" },
        { new InvalidOperationException("queue full"), "InvalidOperationException" },
        { null, "no response" },
    };

    [Fact]
    public void Of_StatusCode_IsTheHttpStatus()
        => Assert.Equal("HTTP 503", FailureKind.Of(new TeacherException("t", TeacherErrorCategory.Unavailable, "HTTP 503", 503)));

    [Theory]
    [MemberData(nameof(Failures))]
    public void Of_NoStatusCode_NamesTheTransportFailure(Exception? cause, string expected)
    {
        var wrapped = cause is null ? null : new ClientResultException("transport", innerException: cause); // as the OpenAI SDK wraps it
        var failure = new TeacherException("t", TeacherErrorCategory.Unavailable, "connection failed", null, wrapped);

        Assert.Equal(expected, FailureKind.Of(failure));
    }

    [Fact]
    public async Task CompleteAsync_DroppedConnection_RetryLogNamesTheFailureNotAStatus()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        server.Enqueue(ScriptedReply.Answer("lost").WithFault(ScriptedFault.DropConnection));
        await using var host = TeacherTestHost.Create(TeacherTestHost.OpenAiTeacher("t", server.V1));
        var teacher = await host.Factory.GetAsync("t", CancellationToken.None);

        await teacher.CompleteAsync(TeacherTestHost.Chat("hi"), CancellationToken.None);

        var retry = Assert.Single(host.Logs.Entries, e => e.EventId == 3002);
        Assert.DoesNotContain("HTTP", retry.Message, StringComparison.Ordinal);
        Assert.Contains("(Unavailable, ", retry.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("(null)", retry.Message, StringComparison.Ordinal);
    }
}
