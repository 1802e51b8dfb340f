using LLMDistill.Configuration;
using LLMDistill.Hub;
using LLMDistill.Teachers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LLMDistill.Cli.Commands.Generate;

/// <summary>
/// Creates the teacher factory of every command (<c>generate</c>, <c>merge --rescore</c>, <c>eval</c>, <c>run</c>): the
/// <see cref="TeacherFactory"/> over the <c>Teachers</c> section with the built-in API kinds (<c>openai</c>,
/// <c>azure</c>) and the <c>local</c> kind of LLMDistill.Training, whose <c>hf:</c> models come through the Hub cache
/// (<c>Hub</c> section). Tests pass their own factory to the commands instead.
/// </summary>
internal static class DefaultTeachers
{
    private static readonly string[] IdentityKeys = ["Kind", "Model", "Deployment", "Endpoint", "BaseUrl", "Path"];

    /// <summary>The factory; every enabled teacher is validated now, so bad configuration fails before any work.</summary>
    /// <exception cref="OptionsValidationException">A teacher or the Hub section is misconfigured; the message names the key.</exception>
    public static ITeacherFactory Create(IConfiguration configuration, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var services = new ServiceCollection()
            .AddSingleton(configuration)
            .AddSingleton(loggerFactory)
            .AddLogging() // keeps the factory above; adds ILogger<T>
            .AddLlmDistillHub(OptionsBinder.Bind<HubOptions>(configuration, HubOptions.SectionName))
            .AddLlmDistillLocalTeacher()
            .AddLlmDistillTeachers()
            .BuildServiceProvider();
        try
        {
            return new OwningTeacherFactory(services.GetRequiredService<ITeacherFactory>(), services);
        }
        catch
        {
            services.Dispose();
            throw;
        }
    }

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

    /// <summary>The factory plus the container that built it (Hub HTTP clients, providers), disposed together.</summary>
    private sealed class OwningTeacherFactory(ITeacherFactory inner, ServiceProvider services) : ITeacherFactory
    {
        public IReadOnlyList<string> TeacherNames => inner.TeacherNames;

        public ValueTask<ITeacherClient> GetAsync(string name, CancellationToken cancellationToken) => inner.GetAsync(name, cancellationToken);

        public IReadOnlyList<TeacherUsageReport> Usage() => inner.Usage();

        public async ValueTask DisposeAsync() => await services.DisposeAsync(); // disposes the factory singleton and its clients
    }
}
