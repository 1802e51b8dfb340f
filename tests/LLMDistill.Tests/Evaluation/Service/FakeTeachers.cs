using System.Collections.Concurrent;
using LLMDistill.Teachers;

namespace LLMDistill.Tests.Evaluation.Service;

/// <summary>An API teacher stand-in: answers every request with a function of the prompt (no network).</summary>
internal sealed class FakeApiTeacher(string name, Func<TeacherRequest, string> answer, TeacherCapabilities? capabilities = null) : ITeacherClient
{
    public ConcurrentQueue<TeacherRequest> Requests { get; } = new();

    public string Name => name;

    public TeacherCapabilities Capabilities { get; } = capabilities ?? new(true, true, 0, false, true);

    public Task<TeacherResponse> CompleteAsync(TeacherRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Requests.Enqueue(request);
        return Task.FromResult(new TeacherResponse(Name, "fake", [new TeacherChoice(answer(request), "stop", null)], new TokenUsage(3, 4)));
    }
}

/// <summary>A teacher factory over fixed clients.</summary>
internal sealed class FakeTeacherFactory(params ITeacherClient[] clients) : ITeacherFactory
{
    public IReadOnlyList<string> TeacherNames => clients.Select(c => c.Name).ToArray();

    public ValueTask<ITeacherClient> GetAsync(string name, CancellationToken cancellationToken)
        => ValueTask.FromResult(clients.FirstOrDefault(c => c.Name == name)
            ?? throw new LLMDistill.Configuration.OptionsValidationException($"Teachers:{name}: no such teacher"));

    public IReadOnlyList<TeacherUsageReport> Usage() => [];

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
