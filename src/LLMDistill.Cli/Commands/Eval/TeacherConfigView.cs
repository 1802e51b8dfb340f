using Microsoft.Extensions.Configuration;

namespace LLMDistill.Cli.Commands.Eval;

/// <summary>
/// The configuration the teacher factory sees in <c>eval</c>: the <c>Teachers</c> settings and only the teachers the
/// evaluation uses, so another configured teacher (e.g. a <c>local</c> one, run in process here) is neither validated
/// nor created.
/// </summary>
internal static class TeacherConfigView
{
    public static IConfiguration Select(IConfiguration configuration, IReadOnlyCollection<string> names)
    {
        var teachers = configuration.GetSection(Teachers.TeacherOptions.SectionPrefix);
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var child in teachers.GetChildren())
        {
            var isTeacher = child.GetChildren().Any();
            if (isTeacher && !names.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!isTeacher)
            {
                // Teachers:Default may name a teacher this evaluation does not use.
                var unusedDefault = child.Key.Equals("Default", StringComparison.OrdinalIgnoreCase) && !names.Contains(child.Value ?? string.Empty, StringComparer.OrdinalIgnoreCase);
                if (!unusedDefault)
                {
                    values[child.Path] = child.Value;
                }

                continue;
            }

            foreach (var entry in child.AsEnumerable())
            {
                values[entry.Key] = entry.Value;
            }
        }

        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }
}
