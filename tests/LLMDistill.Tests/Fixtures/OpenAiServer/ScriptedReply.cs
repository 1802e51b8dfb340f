namespace LLMDistill.Tests.Fixtures.OpenAiServer;

/// <summary>
/// One scripted reply: status, headers, body (or server-sent events), a delay before answering and an optional
/// fault. Build with the static factories and refine with the <c>With*</c> methods, e.g.
/// <c>ScriptedReply.Error(429).WithHeader("Retry-After", "1")</c>.
/// </summary>
public sealed record ScriptedReply
{
    /// <summary>HTTP status.</summary>
    public int Status { get; init; } = 200;

    /// <summary>The body (ignored when <see cref="Events"/> is set).</summary>
    public string Body { get; init; } = "";

    /// <summary>Server-sent event payloads, each written as <c>data: ...</c> and flushed; <c>[DONE]</c> is appended.</summary>
    public IReadOnlyList<string>? Events { get; init; }

    /// <summary>Content type of <see cref="Body"/>.</summary>
    public string ContentType { get; init; } = "application/json";

    /// <summary>Extra response headers.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>Wait before answering (cut short when the client goes away).</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Wait between events of a stream.</summary>
    public TimeSpan EventDelay { get; init; }

    /// <summary>How to break the reply.</summary>
    public ScriptedFault Fault { get; init; }

    /// <summary>Computes the reply from the request when set (used by <see cref="Answer(string)"/>).</summary>
    internal Func<RecordedRequest, ScriptedReply>? Generator { get; init; }

    /// <summary>True when the generated reply is final; otherwise this reply's status, headers, delays and fault apply to it.</summary>
    internal bool KeepGenerated { get; init; }

    /// <summary>A correct answer to whatever was asked (chat, completion, stream, echo, n, logprobs), with <paramref name="text"/> as the answer.</summary>
    public static ScriptedReply Answer(string text) => new() { Generator = request => FakeOpenAiResponses.For(request, text) };

    /// <summary>A reply computed per request, e.g. to fail the first attempt of some prompts (hits arrive concurrently).</summary>
    public static ScriptedReply From(Func<RecordedRequest, ScriptedReply> choose)
    {
        ArgumentNullException.ThrowIfNull(choose);
        return new() { Generator = request => choose(request).Resolve(request), KeepGenerated = true };
    }

    /// <summary>A 200 with <paramref name="json"/> as the body.</summary>
    public static ScriptedReply Json(string json) => new() { Body = json };

    /// <summary>An error status with an OpenAI-style error body.</summary>
    /// <param name="status">HTTP status.</param>
    /// <param name="message">error.message.</param>
    /// <param name="code">error.code (e.g. content_filter, insufficient_quota).</param>
    public static ScriptedReply Error(int status, string message = "scripted failure", string? code = null)
        => new() { Status = status, Body = FakeOpenAiResponses.ErrorBody(message, code) };

    /// <summary>A 200 whose body is not valid JSON.</summary>
    public static ScriptedReply Malformed() => new() { Body = "{\"id\": \"cmpl-1\", \"choices\": [ {\"text\": " };

    /// <summary>A dropped connection.</summary>
    public static ScriptedReply Drop() => new() { Fault = ScriptedFault.DropConnection };

    /// <summary>Adds a response header.</summary>
    public ScriptedReply WithHeader(string name, string value)
        => this with { Headers = new Dictionary<string, string>(Headers, StringComparer.OrdinalIgnoreCase) { [name] = value } };

    /// <summary>Answers only after <paramref name="delay"/>.</summary>
    public ScriptedReply WithDelay(TimeSpan delay) => this with { Delay = delay };

    /// <summary>Breaks the reply.</summary>
    public ScriptedReply WithFault(ScriptedFault fault) => this with { Fault = fault };

    /// <summary>The concrete reply for <paramref name="request"/>.</summary>
    internal ScriptedReply Resolve(RecordedRequest request)
        => Generator is null ? this
            : KeepGenerated ? Generator(request)
            : Generator(request) with { Headers = Headers, Delay = Delay, Fault = Fault, EventDelay = EventDelay, Status = Status };
}
