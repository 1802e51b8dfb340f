using Microsoft.Extensions.Configuration;

namespace LLMDistill.Cli.Hosting;

/// <summary>
/// Builds the configuration every pipeline command reads, lowest precedence first:
/// appsettings.json (from <c>--config</c>, else the working directory, else beside the executable),
/// environment variables prefixed <c>LLMDISTILL_</c> (<c>LLMDISTILL_Teachers__openai__ApiKey</c>),
/// then <c>--Section:Key=Value</c> overrides from the command line.
/// </summary>
internal static class AppConfiguration
{
    public const string EnvironmentPrefix = "LLMDISTILL_";

    /// <summary>Loads configuration; a missing explicit <paramref name="configPath"/> is an error naming the file.</summary>
    /// <param name="configPath">The <c>--config</c> value, or null for the default lookup.</param>
    /// <param name="overrides">Tokens such as <c>--Train:Steps=100</c> or <c>--Train:Steps 100</c>.</param>
    public static IConfigurationRoot Load(string? configPath, IReadOnlyList<string> overrides)
    {
        var path = ResolvePath(configPath);
        var builder = new ConfigurationBuilder();
        if (path is not null)
        {
            try
            {
                builder.AddJsonFile(path, optional: false, reloadOnChange: false);
                _ = new ConfigurationBuilder().AddJsonFile(path, optional: false).Build(); // parse now: a JSON error names the file
            }
            catch (InvalidDataException ex)
            {
                throw new InvalidOperationException($"config file '{path}' is not valid JSON: {ex.InnerException?.Message ?? ex.Message}", ex);
            }
        }

        builder.AddEnvironmentVariables(EnvironmentPrefix);
        builder.AddCommandLine(overrides.ToArray());
        var root = builder.Build();
        ConfigFilePath = path;
        return root;
    }

    /// <summary>The file the last <see cref="Load"/> read (null when none was found); relative paths in it resolve against the working directory.</summary>
    public static string? ConfigFilePath { get; private set; }

    private static string? ResolvePath(string? configPath)
    {
        if (configPath is not null)
        {
            return File.Exists(configPath)
                ? Path.GetFullPath(configPath)
                : throw new FileNotFoundException($"config file '{configPath}' does not exist", configPath);
        }

        foreach (var candidate in new[] { Path.Combine(Environment.CurrentDirectory, "appsettings.json"), Path.Combine(AppContext.BaseDirectory, "appsettings.json") })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
