using System.CommandLine;
using System.Globalization;
using LLMDistill.Cli.Commands.Generate;
using LLMDistill.Cli.Hosting;
using LLMDistill.Configuration;
using LLMDistill.Generation;
using LLMDistill.Teachers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace LLMDistill.Cli.Commands;

/// <summary>
/// <c>llmdistill generate [--config appsettings.json] [--Section:Key=Value ...] [--out DIR] [--restart]</c>: runs (or
/// resumes) the dataset-generation pipeline configured in the <c>Generate</c> section.
/// </summary>
internal static class GenerateCommand
{
    public static Command Create() => Create(DefaultTeachers.Create);

    /// <summary>The command with a given teacher factory (tests pass fakes).</summary>
    public static Command Create(Func<IConfiguration, ILoggerFactory, ITeacherFactory> teachers)
    {
        var command = new Command("generate", "Generate a distillation dataset: expand seeds with a teacher, deduplicate, answer, score teaching value, filter, write. Rerun the same command to resume.");
        var config = ConfigOptions.AddTo(command);
        var output = new Option<string?>("--out") { Description = "Dataset directory (overrides Generate:OutputDirectory)." };
        var restart = new Option<bool>("--restart") { Description = "Discard the run in the output directory (e.g. after a config change) and start over." };
        command.Options.Add(output);
        command.Options.Add(restart);
        // Ctrl+C / SIGTERM stop the run gracefully (CommandRunner): in-flight work finishes, every decision is flushed,
        // the manifest is written; a second signal ends the process at once.
        command.SetAction((parseResult, ct) => CommandRunner.RunAsync(
            token => RunAsync(ConfigOptions.Load(parseResult, config), parseResult.GetValue(output), parseResult.GetValue(restart), teachers, token),
            ct));
        return command;
    }

    private static async Task<int> RunAsync(IConfiguration configuration, string? output, bool restart, Func<IConfiguration, ILoggerFactory, ITeacherFactory> teachers, CancellationToken cancellationToken)
    {
        var autoMode = TeacherDefaults.Prepare(configuration);
        var options = OptionsBinder.Bind<GenerateOptions>(configuration, GenerateOptions.SectionName);
        if (autoMode)
        {
            await using var hub = ModelReferences.CreateHub(configuration);
            await TeacherDefaults.ResolveModeAsync(configuration, hub.GetRequiredService<Hub.ModelLocator>(), cancellationToken);
            options = OptionsBinder.Bind<GenerateOptions>(configuration, GenerateOptions.SectionName);
        }

        if (output is not null)
        {
            options.OutputDirectory = output;
        }

        var interactive = ProgressView.IsInteractive;
        using var loggerFactory = CreateLoggerFactory(interactive ? LogLevel.Warning : LogLevel.Information);
        await using var factory = teachers(configuration, loggerFactory);
        var identities = DefaultTeachers.Identities(configuration, [options.ExpandTeacher, .. options.AnswerTeachers, options.JudgeTeacher ?? "", options.ScoringTeacher ?? ""]);
        var pipeline = new GenerationPipeline(options, factory, loggerFactory.CreateLogger<GenerationPipeline>(), identities);
        var run = pipeline.RunAsync(Environment.CurrentDirectory, restart, cancellationToken);
        await ProgressView.FollowAsync(pipeline.Progress, run, TimeSpan.FromSeconds(options.Pipeline.ProgressIntervalSeconds), Console.Out);
        GenerationResult result;
        try
        {
            result = await run;
        }
        catch (TeacherException ex) when (ex.IsFatal)
        {
            // The pipeline's message names the teacher; the user also needs where it lives and that the run can resume.
            throw new InvalidOperationException(TeacherFailure.Message(ex, configuration, Path.GetFullPath(options.OutputDirectory), pipeline.Progress()?.Kept ?? 0), ex);
        }

        var manifest = result.Manifest;
        var reasons = string.Join(", ", manifest.Rejections.OrderByDescending(r => r.Value).Select(r => $"{r.Key}={r.Value}"));
        var cost = manifest.Usage.Sum(u => u.CostUsd);
        var tokens = manifest.Usage.Sum(u => u.PromptTokens + u.CompletionTokens);
        await Console.Out.WriteLineAsync(result.AlreadyComplete
            ? $"generate: {result.OutputDirectory} is already complete ({manifest.Counts.GetValueOrDefault("kept")} samples); use --restart to regenerate"
            : string.Create(CultureInfo.InvariantCulture,
                $"generate: {manifest.Counts.GetValueOrDefault("kept")} samples in {result.OutputDirectory} (rejected {manifest.Counts.GetValueOrDefault("rejected")}: {reasons}); tokens {ProgressFormat.Tokens(tokens)}, cost ${cost:F4}"));
        foreach (var note in manifest.Notes ?? [])
        {
            await Console.Out.WriteLineAsync("generate: note: " + note);
        }

        return 0;
    }

    internal static ILoggerFactory CreateLoggerFactory(LogLevel minimum)
        => LoggerFactory.Create(builder => builder
            .SetMinimumLevel(minimum)
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
            })
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)); // stdout is the progress display's
}
