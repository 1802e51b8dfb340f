using System.Collections.Concurrent;
using LLMDistill.Teachers;

namespace LLMDistill.Tests.Evaluation.Judge;

/// <summary>An in-memory judge: a function maps (answer A, answer B, full user message) to the reply text.</summary>
internal sealed class FakeJudgeClient(Func<string, string, string, string> reply, bool chat = true) : ITeacherClient
{
    public ConcurrentQueue<TeacherRequest> Requests { get; } = new();

    public string Name => "judge";

    public TeacherCapabilities Capabilities { get; } = new(chat, !chat, 0, false, true);

    public Task<TeacherResponse> CompleteAsync(TeacherRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Requests.Enqueue(request);
        var user = request.Messages is null ? request.Prompt! : request.Messages[^1].Content;
        var text = reply(Between(user, "ANSWER A"), Between(user, "ANSWER B"), user);
        return Task.FromResult(new TeacherResponse(Name, "fake-judge", [new TeacherChoice(text, "stop", null)], new TokenUsage(10, 5)));
    }

    /// <summary>The text of the quoted block with the given label.</summary>
    public static string Between(string user, string label)
    {
        // The END line must carry the tag of the BEGIN line, as the judge is told.
        var begin = user.IndexOf($"<<<BEGIN {label} ", StringComparison.Ordinal);
        var lineEnd = user.IndexOf('\n', begin);
        var tag = user[(begin + $"<<<BEGIN {label} ".Length)..lineEnd].TrimEnd('>');
        var end = user.IndexOf($"\n<<<END {label} {tag}>>>", lineEnd, StringComparison.Ordinal);
        return user[(lineEnd + 1)..end];
    }
}
