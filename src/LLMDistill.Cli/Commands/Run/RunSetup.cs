using LLMDistill.Cli.Commands.Generate;
using LLMDistill.Cli.Hosting;
using LLMDistill.Configuration;
using LLMDistill.Evaluation;
using LLMDistill.Generation;
using LLMDistill.Hub;
using LLMDistill.Pipeline;
using LLMDistill.Teachers;
using LLMDistill.Tokenization;
using LLMDistill.Training.Options;
using Microsoft.Extensions.Configuration;

namespace LLMDistill.Cli.Commands.Run;

/// <summary>
/// Reads the configuration of <c>llmdistill run</c>: binds and validates every section the job needs before any work
/// (errors name <c>Section:Key</c>), then resolves the teacher's model (pulling an <c>hf:</c> model on first use), the
/// generation mode and the student's model settings into <see cref="JobSettings"/>.
/// </summary>
internal static class RunSetup
{
    /// <summary>
    /// Applies the run's defaults and validates every section: <c>Generate</c> teacher roles from
    /// <c>Teachers:Default</c>, <c>Train:Teacher</c> from a local answer teacher's <c>Model</c>.
    /// </summary>
    /// <returns>Whether <c>Generate:Mode</c> is <c>auto</c>.</returns>
    /// <exception cref="OptionsValidationException">A value is invalid; the message names its key.</exception>
    public static bool Validate(IConfiguration configuration)
    {
        var autoMode = TeacherDefaults.Prepare(configuration);
        var generate = OptionsBinder.Bind<GenerateOptions>(configuration, GenerateOptions.SectionName);
        TeacherDefaults.ApplyTrainTeacher(configuration, generate.AnswerTeachers[0]);
        OptionsBinder.Bind<RunOptions>(configuration, RunOptions.SectionName);
        TrainOptionsReader.Read(configuration);
        EvaluationSettings.Bind(configuration);
        OptionsBinder.Bind<TokenizerOptions>(configuration, TokenizerOptions.SectionName);
        OptionsBinder.Bind<HubOptions>(configuration, HubOptions.SectionName);
        return autoMode;
    }

    /// <summary>Resolves models and the generation mode into the job's settings (after <see cref="Validate"/> and the teacher factory's own validation).</summary>
    /// <exception cref="HubException">A model cannot be found or pulled; the message names the setting and the local fallback.</exception>
    public static async Task<JobSettings> ResolveAsync(IConfiguration configuration, bool autoMode, string? output, ModelLocator locator, CancellationToken cancellationToken)
    {
        var generate = OptionsBinder.Bind<GenerateOptions>(configuration, GenerateOptions.SectionName);
        var name = generate.AnswerTeachers[0];
        var teacher = await TeacherAsync(configuration, name, locator, cancellationToken);
        if (autoMode)
        {
            await TeacherDefaults.ResolveModeAsync(configuration, locator, cancellationToken);
            generate = OptionsBinder.Bind<GenerateOptions>(configuration, GenerateOptions.SectionName);
        }

        var resolved = TrainOptionsReader.Read(configuration);
        await ModelReferences.ResolveTrainAsync(resolved, locator, cancellationToken);
        TrainOptions Train()
        {
            var options = TrainOptionsReader.Read(configuration);
            (options.Teacher, options.Tokenizer, options.Student.InitFrom) = (resolved.Teacher, resolved.Tokenizer, resolved.Student.InitFrom);
            return options;
        }

        var run = OptionsBinder.Bind<RunOptions>(configuration, RunOptions.SectionName);
        var directory = Path.GetFullPath(output ?? Path.Combine(run.RunsDirectory, string.IsNullOrWhiteSpace(run.Name) ? teacher.Model : run.Name));
        string[] roles = [generate.ExpandTeacher, .. generate.AnswerTeachers, generate.JudgeTeacher ?? string.Empty, generate.ScoringTeacher ?? string.Empty];
        return new JobSettings(
            run,
            directory,
            generate,
            Train,
            Evaluation(configuration, resolved),
            teacher,
            DefaultTeachers.Identities(configuration, roles),
            Environment.CurrentDirectory,
            OptionsBinder.Bind<TokenizerOptions>(configuration, TokenizerOptions.SectionName).ChatTemplate);
    }

    /// <summary>The evaluation settings; an unset <c>Eval:SystemPrompt</c> takes the students' <c>Train:Data:SystemPrompt</c>, so evaluation scores the prompts they were trained on.</summary>
    private static EvaluationSettings Evaluation(IConfiguration configuration, TrainOptions train)
    {
        var settings = EvaluationSettings.Bind(configuration);
        if (string.IsNullOrEmpty(settings.Eval.SystemPrompt))
        {
            settings.Eval.SystemPrompt = train.Data.SystemPrompt;
        }

        return settings;
    }

    /// <summary>The run's teacher: a local model's directory (pulled if needed) or an API teacher's model name.</summary>
    private static async Task<JobTeacher> TeacherAsync(IConfiguration configuration, string name, ModelLocator locator, CancellationToken cancellationToken)
    {
        var section = configuration.GetSection($"{TeacherOptions.SectionPrefix}:{name}");
        var model = section["Model"] ?? section["Deployment"] ?? name;
        if (!TeacherDefaults.IsLocal(configuration, name))
        {
            return new JobTeacher(name, null, FolderName(model));
        }

        var location = await locator.ResolveAsync(model, $"{TeacherOptions.SectionPrefix}:{name}:Model", progress: null, cancellationToken);
        return new JobTeacher(name, location.Directory, FolderName(model));
    }

    /// <summary>A folder-safe model name: <c>hf:org/name@rev</c> → <c>name</c>, a directory → its last part.</summary>
    private static string FolderName(string model)
    {
        var text = HubModelReference.IsHubReference(model) ? model.Split('@')[0] : model;
        var last = Path.GetFileName(text.TrimEnd('/', '\\'));
        var safe = new string(last.Select(c => char.IsLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-').ToArray()).Trim('-', '.');
        return safe.Length > 0 ? safe : "run";
    }
}
