using LLMDistill.Teachers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace LLMDistill.Cli.Commands.Generate;

/// <summary>
/// The teacher factory the <c>generate</c> and <c>merge --rescore</c> commands use (<see cref="Hosting.TeacherServices"/>),
/// and the identities of the teachers a run uses; tests pass their own factory to the commands instead.
/// </summary>
internal static class DefaultTeachers
{
    private static readonly string[] IdentityKeys = ["Kind", "Model", "Deployment", "Endpoint", "BaseUrl", "Path"];

    public static ITeacherFactory Create(IConfiguration configuration, ILoggerFactory loggerFactory)
        => Hosting.TeacherServices.CreateFactory(configuration, loggerFactory);

    /// <summary>What identifies each used teacher's outputs (kind, model, endpoint, path), for the run's config hash.</summary>
    public static IReadOnlyDictionary<string, string> Identities(IConfiguration configuration, IEnumerable<string> names)
    {
        var identities = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in names.Where(n => !string.IsNullOrWhiteSpace(n)).Distinct(StringComparer.Ordinal))
        {
            var section = configuration.GetSection("Teachers").GetSection(name);
            var parts = IdentityKeys.Select(k => $"{k}={section[k]}");
            identities[name] = string.Join(";", parts);
        }

        return identities;
    }
}
