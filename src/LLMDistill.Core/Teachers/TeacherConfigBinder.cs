using System.Text.RegularExpressions;
using LLMDistill.Configuration;
using Microsoft.Extensions.Configuration;

namespace LLMDistill.Teachers;

/// <summary>
/// Binds and validates teacher options so that a value of the wrong type is reported under its full key
/// (<c>Teachers:t:AttemptTimeoutSeconds: cannot convert 'abc' to System.Double</c>), not as a bare conversion error.
/// </summary>
internal static partial class TeacherConfigBinder
{
    /// <summary>Binds <paramref name="sectionName"/> onto a new <typeparamref name="T"/> and validates it with DataAnnotations.</summary>
    /// <exception cref="OptionsValidationException">A value is malformed or out of range; the message names the key.</exception>
    public static T Bind<T>(IConfiguration configuration, string sectionName)
        where T : class, new()
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new T();
        try
        {
            configuration.GetSection(sectionName).Bind(options, o => o.ErrorOnUnknownConfiguration = false);
        }
        catch (InvalidOperationException ex)
        {
            // The binder's message: Failed to convert configuration value 'abc' at 'Teachers:t:Key' to type 'System.Double'.
            var match = ConversionFailure().Match(ex.Message);
            var message = match.Success
                ? $"{match.Groups["path"].Value}: cannot convert '{match.Groups["value"].Value}' to {match.Groups["type"].Value}"
                : $"{sectionName}: {ex.Message}";
            throw new OptionsValidationException(message, ex);
        }

        OptionsBinder.Validate(options, sectionName);
        return options;
    }

    [GeneratedRegex("value '(?<value>.*)' at '(?<path>[^']+)' to type '(?<type>[^']+)'", RegexOptions.CultureInvariant)]
    private static partial Regex ConversionFailure();
}
