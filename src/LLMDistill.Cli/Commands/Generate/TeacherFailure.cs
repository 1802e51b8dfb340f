using LLMDistill.Teachers;
using Microsoft.Extensions.Configuration;

namespace LLMDistill.Cli.Commands.Generate;

/// <summary>
/// The one line <c>generate</c> ends with when a teacher fails fatally: which teacher, where it lives (endpoint or
/// model directory), why, and that the samples written so far are intact and the same command resumes.
/// </summary>
internal static class TeacherFailure
{
    public static string Message(TeacherException failure, IConfiguration configuration, string outputDirectory, long kept)
    {
        ArgumentNullException.ThrowIfNull(failure);
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(TeacherOptions.SectionPrefix).GetSection(failure.Teacher);
        var location = section["Endpoint"] is { Length: > 0 } endpoint ? endpoint : section["Model"];
        var prefix = $"teacher '{failure.Teacher}': ";
        var reason = failure.Message.StartsWith(prefix, StringComparison.Ordinal) ? failure.Message[prefix.Length..] : failure.Message;
        var where = string.IsNullOrEmpty(location) ? "" : $" ({location})";
        return $"teacher '{failure.Teacher}'{where}: {reason}; the {kept} samples written to {outputDirectory} are intact: rerun the same command to resume";
    }
}
