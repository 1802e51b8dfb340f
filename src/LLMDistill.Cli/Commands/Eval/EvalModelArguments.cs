using System.Text.RegularExpressions;
using LLMDistill.Evaluation;
using LLMDistill.Hub;
using LLMDistill.Teachers;
using Microsoft.Extensions.Configuration;

namespace LLMDistill.Cli.Commands.Eval;

/// <summary>
/// Turns <c>--student</c> and <c>--teachers</c> values into <see cref="ModelSpec"/>s. A value is <c>NAME=MODEL</c> or
/// <c>MODEL</c>; MODEL is a model directory or <c>hf:org/name[@rev]</c>, or (teachers only) a teacher configured under
/// <c>Teachers:&lt;name&gt;</c>: kind <c>local</c> runs its <c>Model</c> in process, other kinds are API teachers.
/// Without NAME a model is named after its directory.
/// </summary>
internal static partial class EvalModelArguments
{
    public static async Task<IReadOnlyList<ModelSpec>> StudentsAsync(IReadOnlyList<string> values, ModelLocator locator, CancellationToken cancellationToken)
    {
        var specs = new List<ModelSpec>();
        foreach (var value in values)
        {
            var (name, reference) = Split(value);
            var location = await locator.ResolveAsync(reference, "student", progress: null, cancellationToken);
            specs.Add(ModelSpec.Local(name ?? DefaultName(reference), location.Directory));
        }

        return Deduplicate(specs);
    }

    public static async Task<IReadOnlyList<ModelSpec>> TeachersAsync(IReadOnlyList<string> values, IConfiguration configuration, ModelLocator locator, CancellationToken cancellationToken)
    {
        var specs = new List<ModelSpec>();
        foreach (var value in values)
        {
            var (name, reference) = Split(value);
            var section = configuration.GetSection($"{TeacherOptions.SectionPrefix}:{reference}");
            if (!Directory.Exists(reference) && !HubModelReference.IsHubReference(reference) && section.GetChildren().Any())
            {
                var kind = section["Kind"] ?? string.Empty;
                if (!kind.Equals(TeacherKinds.Local, StringComparison.OrdinalIgnoreCase))
                {
                    specs.Add(ModelSpec.Api(reference));
                    continue;
                }

                var key = $"{TeacherOptions.SectionPrefix}:{reference}:Model";
                var local = await locator.ResolveAsync(configuration[key] ?? string.Empty, key, progress: null, cancellationToken);
                specs.Add(ModelSpec.Local(name ?? reference, local.Directory));
                continue;
            }

            if (!Directory.Exists(reference) && !HubModelReference.IsHubReference(reference) && NamePattern().IsMatch(reference))
            {
                throw new ArgumentException($"--teachers: '{reference}' is neither a model directory nor a teacher configured under {TeacherOptions.SectionPrefix}:{reference}");
            }

            var location = await locator.ResolveAsync(reference, "teachers", progress: null, cancellationToken);
            specs.Add(ModelSpec.Local(name ?? DefaultName(reference), location.Directory));
        }

        return Deduplicate(specs);
    }

    private static (string? Name, string Reference) Split(string value)
    {
        var trimmed = value.Trim();
        var equals = trimmed.IndexOf('=', StringComparison.Ordinal);
        if (equals > 0 && !Directory.Exists(trimmed) && NamePattern().IsMatch(trimmed[..equals]) && equals < trimmed.Length - 1)
        {
            return (trimmed[..equals], trimmed[(equals + 1)..]);
        }

        return (null, trimmed);
    }

    private static string DefaultName(string reference)
    {
        var text = HubModelReference.IsHubReference(reference) ? reference.Split('@')[0] : Path.GetFullPath(reference);
        return Path.GetFileName(text.TrimEnd('/', '\\'));
    }

    /// <summary>Equal default names (two checkpoints called "final") get their parent folder as a prefix, then a counter.</summary>
    private static List<ModelSpec> Deduplicate(List<ModelSpec> specs)
    {
        var result = new List<ModelSpec>();
        foreach (var spec in specs)
        {
            var name = spec.Name;
            if (result.Any(r => r.Name == name) && spec.Directory is { } directory)
            {
                name = $"{Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(directory).TrimEnd('/')))}/{name}";
            }

            for (var i = 2; result.Any(r => r.Name == name); i++)
            {
                name = $"{spec.Name}-{i}";
            }

            result.Add(spec with { Name = name });
        }

        return result;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex NamePattern();
}
