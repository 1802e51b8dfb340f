using LLMDistill.Generation;
using LLMDistill.Hub;
using LLMDistill.Teachers;
using LLMDistill.Tokenization;
using Microsoft.Extensions.Configuration;

namespace LLMDistill.Cli.Hosting;

/// <summary>
/// The defaults that depend on the teachers, applied to the configuration before binding: unset <c>Generate</c>
/// teacher roles take <c>Teachers:Default</c> (the scoring role only when that teacher can score text: local, or <c>Scoring</c> on);
/// <c>Generate:Mode=auto</c> becomes <c>Chat</c> for a teacher with a chat template (or an API teacher in chat mode)
/// and <c>Completion</c> for a base model such as shakespeare-4m, which also picks the completion-style seeds and
/// prompts; an empty <c>Train:Teacher</c> takes a local teacher's <c>Model</c>.
/// </summary>
internal static class TeacherDefaults
{
    /// <summary>The <c>Generate:Mode</c> value that lets the answer teacher decide.</summary>
    public const string AutoMode = "auto";

    private const string Section = GenerateOptions.SectionName;

    /// <summary>
    /// Fills unset teacher roles and, when the mode is <c>auto</c>, puts a placeholder mode in so that the section can
    /// be bound and validated before <see cref="ResolveModeAsync"/> looks at the teacher.
    /// </summary>
    /// <returns>True when the mode is <c>auto</c> (or unset) and still has to be resolved.</returns>
    public static bool Prepare(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var fallback = configuration[$"{TeacherPoolOptions.SectionName}:Default"];
        if (!string.IsNullOrWhiteSpace(fallback))
        {
            // null = not configured (take the default); an empty string switches a role off.
            configuration[$"{Section}:ExpandTeacher"] ??= fallback;
            if (!configuration.GetSection($"{Section}:AnswerTeachers").GetChildren().Any())
            {
                configuration[$"{Section}:AnswerTeachers:0"] = fallback;
            }

            if (configuration[$"{Section}:ScoringTeacher"] is null && CanScore(configuration, fallback))
            {
                configuration[$"{Section}:ScoringTeacher"] = fallback;
            }
        }

        var mode = configuration[$"{Section}:Mode"];
        if (mode is null || mode.Equals(AutoMode, StringComparison.OrdinalIgnoreCase))
        {
            configuration[$"{Section}:Mode"] = nameof(TeacherMode.Chat);
            return true;
        }

        return false;
    }

    /// <summary>
    /// The mode the first answer teacher calls for: a local model's own chat template (or a forced
    /// <c>Teachers:&lt;name&gt;:ChatTemplate</c>) means chat, none means completion; an API teacher's <c>Mode</c> decides.
    /// Writes it to <c>Generate:Mode</c>. A local <c>hf:</c> model is pulled here if it is not cached.
    /// </summary>
    /// <exception cref="HubException">The local model cannot be found or pulled; the message names the setting.</exception>
    public static async Task<TeacherMode> ResolveModeAsync(IConfiguration configuration, ModelLocator locator, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(locator);
        var teacher = configuration[$"{Section}:AnswerTeachers:0"] ?? string.Empty;
        var section = configuration.GetSection($"{TeacherOptions.SectionPrefix}:{teacher}");
        TeacherMode mode;
        if (IsLocal(configuration, teacher))
        {
            var key = $"{TeacherOptions.SectionPrefix}:{teacher}:Model";
            var directory = (await locator.ResolveAsync(section["Model"] ?? string.Empty, key, progress: null, cancellationToken)).Directory;
            var forced = section["ChatTemplate"] is { Length: > 0 } kind && !kind.Equals(nameof(ChatTemplateKind.Auto), StringComparison.OrdinalIgnoreCase);
            mode = forced || ModelTokenizer.Load(directory).ChatTemplate is not PlainChatTemplate ? TeacherMode.Chat : TeacherMode.Completion;
        }
        else
        {
            mode = section["Mode"] is { } configured && configured.Equals(nameof(TeacherMode.Completion), StringComparison.OrdinalIgnoreCase)
                ? TeacherMode.Completion
                : TeacherMode.Chat;
        }

        configuration[$"{Section}:Mode"] = mode.ToString();
        return mode;
    }

    /// <summary>Sets an empty <c>Train:Teacher</c> to the <c>Model</c> of <paramref name="teacher"/> when that is a local teacher.</summary>
    public static void ApplyTrainTeacher(IConfiguration configuration, string? teacher)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        const string key = "Train:Teacher";
        if (string.IsNullOrWhiteSpace(configuration[key]) && teacher is not null && IsLocal(configuration, teacher))
        {
            configuration[key] = configuration[$"{TeacherOptions.SectionPrefix}:{teacher}:Model"];
        }
    }

    /// <summary>Whether <c>Teachers:&lt;name&gt;</c> scores text: a local teacher, or an API teacher with <c>Scoring</c> on.</summary>
    public static bool CanScore(IConfiguration configuration, string name)
        => IsLocal(configuration, name) || bool.TryParse(configuration[$"{TeacherOptions.SectionPrefix}:{name}:Scoring"], out var scoring) && scoring;

    /// <summary>Whether <c>Teachers:&lt;name&gt;</c> is a local (in-process) teacher.</summary>
    public static bool IsLocal(IConfiguration configuration, string name)
        => !string.IsNullOrWhiteSpace(name)
            && string.Equals(configuration[$"{TeacherOptions.SectionPrefix}:{name}:Kind"], TeacherKinds.Local, StringComparison.OrdinalIgnoreCase);
}
