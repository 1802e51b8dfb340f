using LLMDistill.Teachers;

namespace LLMDistill.Tests.Fixtures;

/// <summary>
/// An in-process teacher for tests: answers come from a deterministic script; latency jitter (seeded) shuffles
/// completion order so pipelines are exercised under real interleavings; failures can be injected.
/// </summary>
internal sealed class FakeTeacher : IScoringTeacherClient
{
    private readonly Func<TeacherRequest, TeacherResponse> _script;
    private readonly Func<string, string, int, IReadOnlyList<TokenLogprob>> _scorer;
    private readonly Random _jitter;
    private readonly Lock _lock = new();
    private long _calls;
    private long _promptTokens;
    private long _completionTokens;

    public FakeTeacher(string name, Func<TeacherRequest, TeacherResponse>? script = null, TeacherCapabilities? capabilities = null, int jitterSeed = 1,
        Func<string, string, int, IReadOnlyList<TokenLogprob>>? scorer = null)
    {
        Name = name;
        Model = name + "-model";
        _script = script ?? (r => TeacherScripts.Chat(this, r));
        _scorer = scorer ?? TeacherScripts.Score;
        Capabilities = capabilities ?? new TeacherCapabilities(Chat: true, Completion: true, MaxTopLogprobs: 5, FullLogits: false, StructuredOutput: true);
        _jitter = new Random(jitterSeed);
    }

    public string Name { get; }

    public string Model { get; }

    public TeacherCapabilities Capabilities { get; }

    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>Called before each request with the 1-based call number; may throw or cancel.</summary>
    public Action<long>? BeforeCall { get; set; }

    /// <summary>Maximum jitter per call in milliseconds (0: only a yield).</summary>
    public int MaxDelayMs { get; set; } = 2;

    public TeacherUsageReport Usage() => new(Name, Calls, 0, Interlocked.Read(ref _promptTokens), Interlocked.Read(ref _completionTokens), Interlocked.Read(ref _completionTokens) * 0.000001m);

    public async Task<TeacherResponse> CompleteAsync(TeacherRequest request, CancellationToken cancellationToken)
    {
        var call = Interlocked.Increment(ref _calls);
        BeforeCall?.Invoke(call);
        await DelayAsync(cancellationToken);
        var response = _script(request);
        Interlocked.Add(ref _promptTokens, response.Usage.PromptTokens);
        Interlocked.Add(ref _completionTokens, response.Usage.CompletionTokens);
        return response;
    }

    public async Task<IReadOnlyList<TokenLogprob>> ScoreAsync(string context, string continuation, int topLogprobs, CancellationToken cancellationToken)
    {
        var call = Interlocked.Increment(ref _calls);
        BeforeCall?.Invoke(call);
        await DelayAsync(cancellationToken);
        return _scorer(context, continuation, topLogprobs);
    }

    private async Task DelayAsync(CancellationToken cancellationToken)
    {
        int delay;
        lock (_lock)
        {
            delay = MaxDelayMs == 0 ? 0 : _jitter.Next(MaxDelayMs + 1);
        }

        if (delay == 0)
        {
            await Task.Yield();
        }
        else
        {
            await Task.Delay(delay, cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }
}
