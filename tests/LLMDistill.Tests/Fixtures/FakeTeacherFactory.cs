using LLMDistill.Configuration;
using LLMDistill.Teachers;

namespace LLMDistill.Tests.Fixtures;

/// <summary>An <see cref="ITeacherFactory"/> over fake teachers.</summary>
internal sealed class FakeTeacherFactory(params FakeTeacher[] teachers) : ITeacherFactory
{
    private readonly Dictionary<string, FakeTeacher> _teachers = teachers.ToDictionary(t => t.Name);

    public IReadOnlyList<string> TeacherNames => [.. _teachers.Keys];

    public FakeTeacher this[string name] => _teachers[name];

    public ValueTask<ITeacherClient> GetAsync(string name, CancellationToken cancellationToken)
        => _teachers.TryGetValue(name, out var teacher)
            ? ValueTask.FromResult<ITeacherClient>(teacher)
            : throw new OptionsValidationException($"Teachers:{name}: no such teacher");

    public IReadOnlyList<TeacherUsageReport> Usage() => _teachers.Values.Select(t => t.Usage()).ToList();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
