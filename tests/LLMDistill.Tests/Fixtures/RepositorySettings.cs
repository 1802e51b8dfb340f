using Microsoft.Extensions.Configuration;

namespace LLMDistill.Tests.Fixtures;

/// <summary>The repository's own appsettings.json, as the CLI reads it, for tests of the shipped defaults.</summary>
internal static class RepositorySettings
{
    /// <summary>appsettings.json, then <paramref name="overrides"/> (as <c>--Section:Key=Value</c> would set them).</summary>
    public static IConfigurationRoot Load(params (string Key, string Value)[] overrides)
        => new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(SharedPaths.RepoRoot, "appsettings.json"))
            .AddInMemoryCollection(overrides.Select(o => new KeyValuePair<string, string?>(o.Key, o.Value)))
            .Build();
}
