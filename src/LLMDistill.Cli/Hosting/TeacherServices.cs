using LLMDistill.Configuration;
using LLMDistill.Hub;
using LLMDistill.Teachers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LLMDistill.Cli.Hosting;

/// <summary>
/// Builds the teacher factory every command uses: the API kinds (<c>openai</c>, <c>azure</c>), the in-process
/// <c>local</c> kind, and the Hub locator so a teacher's <c>Model</c> may be <c>hf:org/name</c>.
/// </summary>
internal static class TeacherServices
{
    /// <summary>Creates the factory over <paramref name="configuration"/>; disposing it disposes every teacher and the Hub client.</summary>
    /// <exception cref="OptionsValidationException">The <c>Hub</c> or <c>Teachers</c> section is invalid; the message names the key.</exception>
    public static ITeacherFactory CreateFactory(IConfiguration configuration, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var hubOptions = OptionsBinder.Bind<HubOptions>(configuration, HubOptions.SectionName);
        var services = new ServiceCollection()
            .AddSingleton(configuration)
            .AddSingleton(loggerFactory)
            .AddLlmDistillHub(hubOptions)
            .AddLlmDistillTeachers()
            .AddLlmDistillLocalTeacher()
            .BuildServiceProvider();
        try
        {
            return new ServiceOwnedTeacherFactory(services.GetRequiredService<ITeacherFactory>(), services);
        }
        catch
        {
            services.Dispose();
            throw;
        }
    }

    /// <summary>The factory plus the container that owns it and its HTTP clients, released together.</summary>
    private sealed class ServiceOwnedTeacherFactory(ITeacherFactory inner, ServiceProvider services) : ITeacherFactory
    {
        public IReadOnlyList<string> TeacherNames => inner.TeacherNames;

        public ValueTask<ITeacherClient> GetAsync(string name, CancellationToken cancellationToken) => inner.GetAsync(name, cancellationToken);

        public IReadOnlyList<TeacherUsageReport> Usage() => inner.Usage();

        public ValueTask DisposeAsync() => services.DisposeAsync(); // disposes the singleton factory, then the rest
    }
}
