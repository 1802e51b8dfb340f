using System.ComponentModel.DataAnnotations;

namespace LLMDistill.Generation;

/// <summary>DataAnnotations validation of a nested options object, with member names prefixed (<c>Filter:TopFraction</c>).</summary>
internal static class NestedValidation
{
    public static IEnumerable<ValidationResult> Validate(object child, string prefix)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(child, new ValidationContext(child), results, validateAllProperties: true);
        return results.Select(r => new ValidationResult(r.ErrorMessage, r.MemberNames.Select(m => $"{prefix}:{m}").ToArray()));
    }
}
