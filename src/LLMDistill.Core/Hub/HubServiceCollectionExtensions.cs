using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace LLMDistill.Hub;

/// <summary>Registers the Hugging Face Hub downloader and model locator.</summary>
public static class HubServiceCollectionExtensions
{
    /// <summary>The name of the <see cref="HttpClient"/> the downloader gets from <see cref="IHttpClientFactory"/>.</summary>
    public const string HttpClientName = "LLMDistill.Hub";

    /// <summary>
    /// Adds <see cref="HubDownloader"/> and <see cref="ModelLocator"/> with <paramref name="options"/>, the process's
    /// <c>HF_*</c> environment (unless a <see cref="HubEnvironment"/> is already registered), and a named HttpClient
    /// that neither follows redirects (the downloader does, to keep the token off CDN hosts) nor times out on its own.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="options">The bound and validated <c>Hub</c> section.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddLlmDistillHub(this IServiceCollection services, HubOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => HubEnvironment.FromProcess());
        services.AddSingleton(options);
        services.AddHttpClient(HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.None, // byte ranges and checksums refer to the stored bytes
                ConnectTimeout = options.ConnectTimeout,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            });
        services.AddTransient(provider => new HubDownloader(
            provider.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
            provider.GetRequiredService<HubOptions>(),
            provider.GetRequiredService<HubEnvironment>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<HubDownloader>>()));
        services.AddTransient<ModelLocator>();
        return services;
    }
}
