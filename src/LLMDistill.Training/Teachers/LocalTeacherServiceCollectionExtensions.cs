using LLMDistill.Hub;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LLMDistill.Teachers;

/// <summary>Registers the <c>local</c> teacher kind.</summary>
public static class LocalTeacherServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="LocalTeacherProvider"/> as an <see cref="ITeacherClientProvider"/>, so the
    /// <see cref="ITeacherFactory"/> of <c>AddLlmDistillTeachers()</c> serves <c>Kind: local</c> teachers. Uses the
    /// <see cref="ModelLocator"/> of <c>AddLlmDistillHub()</c> for <c>hf:</c> models when it is registered.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The same collection, for chaining.</returns>
    public static IServiceCollection AddLlmDistillLocalTeacher(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<ITeacherClientProvider>(sp => new LocalTeacherProvider(sp.GetService<ModelLocator>(), sp.GetService<ILoggerFactory>()));
        return services;
    }
}
