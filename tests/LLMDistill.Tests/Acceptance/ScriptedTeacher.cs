using System.Text.Json;
using LLMDistill.Tests.Fixtures;
using LLMDistill.Tests.Fixtures.OpenAiServer;

namespace LLMDistill.Tests.Acceptance;

/// <summary>
/// Replies of the scripted OpenAI-compatible server when it plays a whole generation teacher: task lists for
/// Self-Instruct, rewritten tasks for Evol-Instruct, answers with top-k logprobs, judge verdicts as JSON and echo
/// scoring, all from <see cref="TeacherScripts.ReplyText"/>. A reply depends only on the request (messages, prompt,
/// seed), like a deterministic teacher behind a cache; an optional random delay shuffles the completion order.
/// </summary>
internal static class ScriptedTeacher
{
    /// <summary>The server's default reply.</summary>
    /// <param name="maxDelayMs">Random delay per request, 0 to this many milliseconds.</param>
    public static ScriptedReply Replies(int maxDelayMs = 0) => ScriptedReply.From(request =>
    {
        var reply = ScriptedReply.Answer(TextFor(request));
        return maxDelayMs > 0 ? reply.WithDelay(TimeSpan.FromMilliseconds(Random.Shared.Next(maxDelayMs + 1))) : reply;
    });

    /// <summary>The answer text a request gets (the judge's JSON for a request with a <c>response_format</c>).</summary>
    public static string TextFor(RecordedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var json = request.Json;
        List<string>? messages = null;
        if (json.ValueKind == JsonValueKind.Object && json.TryGetProperty("messages", out var array))
        {
            messages = [.. array.EnumerateArray().Select(m => m.GetProperty("content").GetString() ?? "")];
        }

        var structured = json.ValueKind == JsonValueKind.Object && json.TryGetProperty("response_format", out _);
        return TeacherScripts.ReplyText(messages, request.StringField("prompt"), structured, request.IntField("seed"));
    }
}
