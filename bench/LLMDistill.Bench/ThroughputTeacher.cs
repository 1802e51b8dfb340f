using System.Globalization;
using System.Text;
using System.Threading.RateLimiting;
using LLMDistill.Teachers;

namespace LLMDistill.Bench;

/// <summary>
/// A stand-in for one rate-limited endpoint: fixed latency per request, a shared token bucket (requests per minute),
/// and plausible replies for each kind of generation request (task lists, rewritten tasks, answers, judge JSON).
/// </summary>
internal sealed class ThroughputTeacher(string name, TimeSpan latency, RateLimiter limiter) : ITeacherClient, ITeacherFactory
{
    private long _requests;

    public string Name => name;

    public TeacherCapabilities Capabilities { get; } = new(Chat: true, Completion: true, MaxTopLogprobs: 0, FullLogits: false, StructuredOutput: true);

    public long Requests => Interlocked.Read(ref _requests);

    public IReadOnlyList<string> TeacherNames => [name];

    public async Task<TeacherResponse> CompleteAsync(TeacherRequest request, CancellationToken cancellationToken)
    {
        using var lease = await limiter.AcquireAsync(1, cancellationToken);
        await Task.Delay(latency, cancellationToken);
        Interlocked.Increment(ref _requests);
        var user = request.Messages?[^1].Content ?? request.Prompt ?? "";
        var text = ReplyText(user, request.JsonSchema is not null, request.Sampling.Seed);
        return new TeacherResponse(name, name + "-model", [new TeacherChoice(text, "stop", null)], new TokenUsage(user.Length / 4, text.Length / 4));
    }

    /// <summary>The reply to a request whose last user message is <paramref name="user"/> (shared with the loopback HTTP server).</summary>
    public static string ReplyText(string user, bool json, int? seed)
    {
        var random = new Random(user.GetHashCode(StringComparison.Ordinal) ^ (seed ?? 0));
        if (json)
        {
            return string.Create(CultureInfo.InvariantCulture, $$"""{"rationale": "ok", "score": {{1 + random.Next(10)}}}""");
        }

        if (user.Contains("new, diverse tasks", StringComparison.Ordinal))
        {
            var list = new StringBuilder();
            for (var i = 1; i <= 8; i++)
            {
                list.Append(CultureInfo.InvariantCulture, $"{i}. Explain topic {random.Next(1_000_000)} to readers {random.Next(1_000_000)} using example {random.Next(1_000_000)} and detail {random.Next(1_000_000)}.\n");
            }

            return list.ToString();
        }

        if (user.Contains("#Task#:", StringComparison.Ordinal) || user.Contains("#Given Task#:", StringComparison.Ordinal))
        {
            return string.Create(CultureInfo.InvariantCulture, $"Describe case {random.Next(1_000_000)} of process {random.Next(1_000_000)} in {random.Next(1_000_000)} steps with constraint {random.Next(1_000_000)}.");
        }

        return string.Create(CultureInfo.InvariantCulture, $"An answer with {random.Next(1000)} specific points and a clear structure.");
    }

    public ValueTask<ITeacherClient> GetAsync(string teacher, CancellationToken cancellationToken) => ValueTask.FromResult<ITeacherClient>(this);

    public IReadOnlyList<TeacherUsageReport> Usage() => [new TeacherUsageReport(name, Requests, 0, 0, 0, 0)];

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
