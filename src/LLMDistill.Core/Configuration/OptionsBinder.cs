using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace LLMDistill.Configuration;

/// <summary>
/// Binds one options section and validates it with DataAnnotations (and <see cref="IValidatableObject"/>),
/// so a bad value fails at start-up with a message naming the key, e.g. <c>Train:LearningRate: must be between ...</c>.
/// </summary>
public static class OptionsBinder
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
            throw new OptionsValidationException($"{sectionName}: {ex.InnerException?.Message ?? ex.Message}", ex);
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
}
