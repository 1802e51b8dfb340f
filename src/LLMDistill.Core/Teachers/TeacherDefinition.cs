using System.Collections;
using LLMDistill.Configuration;
using LLMDistill.Teachers.Limits;
using Microsoft.Extensions.Configuration;

namespace LLMDistill.Teachers;

/// <summary>
/// A named teacher as configured: its validated <see cref="TeacherOptions"/> plus the raw section, from which a
/// provider reads its kind-specific keys. The API key is resolved on demand and never stored in a printable member.
/// </summary>
public sealed class TeacherDefinition
{
    private readonly Func<string, string?> _environment;

    /// <summary>Creates a definition that reads API keys from the process environment.</summary>
    /// <param name="name">The key under <c>Teachers</c>.</param>
    /// <param name="options">The bound and validated options.</param>
    /// <param name="section">The <c>Teachers:&lt;name&gt;</c> section.</param>
    public TeacherDefinition(string name, TeacherOptions options, IConfigurationSection section)
        : this(name, options, section, ReadEnvironment)
    {
    }

    internal TeacherDefinition(string name, TeacherOptions options, IConfigurationSection section, Func<string, string?> environment)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(environment);
        Name = name;
        Options = options;
        Section = section;
        _environment = environment;
    }

    /// <summary>The teacher's name (the key under <c>Teachers</c>).</summary>
    public string Name { get; }

    /// <summary>The validated common options.</summary>
    public TeacherOptions Options { get; }

    /// <summary>The raw configuration section, for kind-specific keys.</summary>
    public IConfigurationSection Section { get; }

    /// <summary>Where the raw client reports <c>x-ratelimit-*</c> headers; set by the factory.</summary>
    internal IRateLimitFeedback? RateLimitFeedback { get; set; }

    /// <summary>The full configuration key of a setting, for error messages: <c>Teachers:&lt;name&gt;:&lt;key&gt;</c>.</summary>
    /// <param name="key">The setting, e.g. <c>Endpoint</c>.</param>
    /// <returns>The full key.</returns>
    public string ConfigKey(string key) => $"{TeacherOptions.SectionPrefix}:{Name}:{key}";

    /// <summary>
    /// Resolves the API key from the environment: the variable named by <see cref="TeacherOptions.ApiKeyEnvironmentVariable"/>,
    /// else <c>LLMDISTILL_Teachers__&lt;name&gt;__ApiKey</c>. Null when neither is set.
    /// </summary>
    /// <returns>The key, or null.</returns>
    /// <exception cref="OptionsValidationException">The named variable is unset, or a key was written into a config file or command line.</exception>
    public string? GetApiKey()
    {
        var conventional = $"LLMDISTILL_{TeacherOptions.SectionPrefix}__{Name}__ApiKey";
        var fromConventional = _environment(conventional);
        var fromSection = Section["ApiKey"];
        if (!string.IsNullOrEmpty(fromSection) && fromSection != fromConventional)
        {
            throw new OptionsValidationException(
                $"{ConfigKey("ApiKey")}: API keys must not be stored in configuration files or passed on the command line; "
                + $"set the environment variable {conventional}, or name one in {ConfigKey("ApiKeyEnvironmentVariable")}");
        }

        if (Options.ApiKeyEnvironmentVariable is { Length: > 0 } variable)
        {
            var value = _environment(variable);
            return string.IsNullOrEmpty(value)
                ? throw new OptionsValidationException($"{ConfigKey("ApiKeyEnvironmentVariable")}: the environment variable '{variable}' is not set")
                : value;
        }

        return string.IsNullOrEmpty(fromConventional) ? null : fromConventional;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Options.Kind})";

    /// <summary>Reads an environment variable, falling back to a case-insensitive match (configuration keys are case-insensitive).</summary>
    internal static string? ReadEnvironment(string name)
    {
        var exact = Environment.GetEnvironmentVariable(name);
        if (exact is not null)
        {
            return exact;
        }

        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (string.Equals((string)entry.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return entry.Value as string;
            }
        }

        return null;
    }
}
