using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace LLMDistill.Configuration;

/// <summary>
/// Binds one options section and validates it with DataAnnotations (and <see cref="IValidatableObject"/>),
/// so a bad value fails at start-up with a message naming the key, e.g. <c>Train:LearningRate: must be between ...</c>.
/// </summary>
public static partial class OptionsBinder
{
    /// <summary>Binds <paramref name="sectionName"/> onto a new <typeparamref name="T"/> and validates it.</summary>
    /// <exception cref="OptionsValidationException">A value is missing, malformed or out of range; the message names the key.</exception>
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
            // The binder's message: Failed to convert configuration value 'abc' at 'Train:Steps' to type 'System.Int32'.
            var match = ConversionFailure().Match(ex.Message);
            var message = match.Success
                ? $"{match.Groups["path"].Value}: cannot convert '{match.Groups["value"].Value}' to {match.Groups["type"].Value}"
                : $"{sectionName}: {ex.InnerException?.Message ?? ex.Message}";
            throw new OptionsValidationException(message, ex);
        }

        Validate(options, sectionName);
        return options;
    }

    /// <summary>Validates an options object, prefixing each failure with <paramref name="sectionName"/>.</summary>
    public static void Validate(object options, string sectionName)
    {
        ArgumentNullException.ThrowIfNull(options);
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            var messages = results.Select(r => $"{sectionName}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}");
            throw new OptionsValidationException(string.Join("; ", messages));
        }
    }

    [GeneratedRegex("value '(?<value>.*)' at '(?<path>[^']+)' to type '(?<type>[^']+)'", RegexOptions.CultureInvariant)]
    private static partial Regex ConversionFailure();
}
