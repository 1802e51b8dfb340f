using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LLMDistill.Teachers;

/// <summary>Registers the teachers in a service collection.</summary>
public static class TeacherServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ITeacherFactory"/> (a singleton <see cref="TeacherFactory"/> over the registered
    /// <see cref="IConfiguration"/>) and <see cref="TimeProvider.System"/> unless a clock is registered. Further kinds
    /// plug in as <c>services.AddSingleton&lt;ITeacherClientProvider, LocalTeacherProvider&gt;()</c>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The same collection, for chaining.</returns>
    public static IServiceCollection AddLlmDistillTeachers(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ITeacherFactory>(sp => new TeacherFactory(
            sp.GetRequiredService<IConfiguration>(),
            sp.GetServices<ITeacherClientProvider>(),
            sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance,
            sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
