using System.CommandLine;
using LLMDistill.Cli.Commands.Eval;
using LLMDistill.Cli.Hosting;
using LLMDistill.Configuration;
using LLMDistill.Evaluation;
using LLMDistill.Hub;
using LLMDistill.Teachers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LLMDistill.Cli.Commands;

/// <summary>
/// <c>llmdistill eval --student DIR [--student DIR ...] [--teachers DIR|NAME ...] [--data DIR|FILE] [--out DIR]
/// [--max-samples N] [--device D]</c>: evaluates a student (or several variants side by side) against its teachers and
/// writes metrics.json, report.md and report.html. A thin wrapper around <see cref="ModelEvaluator"/>.
/// </summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var student = new Option<string[]>("--student")
        {
            Description = "Student model directory (or hf:org/name, or NAME=DIR); repeat to compare variants side by side.",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
            HelpName = "DIR",
        };
        var teachers = new Option<string[]>("--teachers")
        {
            Description = "Teacher model directories, or teachers configured under Teachers:<name> (API teachers: generation and judge metrics only); the first is the primary teacher.",
            AllowMultipleArgumentsPerToken = true,
            HelpName = "DIR|NAME",
        };
        var data = new Option<string?>("--data") { Description = "Held-out data: a dataset directory, a .jsonl file or a text file.", HelpName = "DIR|FILE" };
        var output = new Option<string>("--out") { Description = "Where to write metrics.json, report.md and report.html.", DefaultValueFactory = _ => "eval", HelpName = "DIR" };
        var maxSamples = new Option<int?>("--max-samples") { Description = "Most samples to evaluate [default: Eval:MaxSamples].", HelpName = "N" };
        var device = new Option<string?>("--device") { Description = "auto, cpu, cuda or cuda:N [default: Inference:Device].", HelpName = "D" };
        var trainingMetrics = new Option<string?>("--training-metrics") { Description = "The trainer's metrics.jsonl [default: beside the student].", HelpName = "FILE" };
        var verbose = new Option<bool>("--verbose") { Description = "Log the settings, stage timings and notes to stderr." };
        var command = new Command("eval", "Evaluate a student against its teachers: token agreement, KL, perplexity, calibration, generation quality, judge, speed and size.")
        {
            student, teachers, data, output, maxSamples, device, trainingMetrics, verbose,
        };
        var configOption = ConfigOptions.AddTo(command);
        command.SetAction((parseResult, ct) => CommandRunner.RunAsync(
            token => RunAsync(
                parseResult,
                configOption,
                new EvalArguments(
                    parseResult.GetValue(student) ?? [],
                    parseResult.GetValue(teachers) ?? [],
                    parseResult.GetValue(data),
                    parseResult.GetValue(output)!,
                    parseResult.GetValue(maxSamples),
                    parseResult.GetValue(device),
                    parseResult.GetValue(trainingMetrics),
                    parseResult.GetValue(verbose)),
                token),
            ct));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, Option<string?> configOption, EvalArguments arguments, CancellationToken cancellationToken)
    {
        var configuration = ConfigOptions.Load(parseResult, configOption);
        var settings = EvaluationSettings.Bind(configuration);
        if (arguments.MaxSamples is { } max)
        {
            settings.Eval.MaxSamples = max;
            OptionsBinder.Validate(settings.Eval, "--max-samples/" + EvalOptions.SectionName);
        }

        if (arguments.Device is { } device)
        {
            settings.Inference.Device = device;
            OptionsBinder.Validate(settings.Inference, "--device/" + Inference.InferenceOptions.SectionName);
        }

        if (arguments.Data is { } path && !File.Exists(path) && !Directory.Exists(path))
        {
            throw new FileNotFoundException($"--data: '{path}' does not exist (give a dataset directory, a .jsonl file or a text file)", path);
        }

        await using var hub = new ServiceCollection().AddLlmDistillHub(OptionsBinder.Bind<HubOptions>(configuration, HubOptions.SectionName)).BuildServiceProvider();
        var locator = hub.GetRequiredService<ModelLocator>();
        var students = await EvalModelArguments.StudentsAsync(arguments.Students, locator, cancellationToken);
        var teacherSpecs = await EvalModelArguments.TeachersAsync(arguments.Teachers, configuration, locator, cancellationToken);

        // The factory sees only the API teachers and the judge this evaluation uses.
        var apiNames = teacherSpecs.Where(t => !t.IsLocal).Select(t => t.Name).ToList();
        if (!string.IsNullOrWhiteSpace(settings.Judge.Teacher))
        {
            apiNames.Add(settings.Judge.Teacher);
        }

        using var loggerFactory = arguments.Verbose
            ? LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).AddFilter("LLMDistill", LogLevel.Information)
                .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace))
            : NullLoggerFactory.Instance;
        await using var factory = apiNames.Count == 0
            ? null
            : Generate.DefaultTeachers.Create(TeacherConfigView.Select(configuration, apiNames), loggerFactory);
        var evaluator = new ModelEvaluator(settings, factory, loggerFactory);
        var request = new EvaluationRequest(students, teacherSpecs, arguments.Data, arguments.Output, arguments.TrainingMetrics);
        var result = await EvalConsole.RunWithProgressAsync(progress => evaluator.EvaluateAsync(request, progress, cancellationToken));
        await EvalConsole.PrintSummaryAsync(result);
        return 0;
    }

    private sealed record EvalArguments(
        IReadOnlyList<string> Students, IReadOnlyList<string> Teachers, string? Data, string Output, int? MaxSamples, string? Device, string? TrainingMetrics, bool Verbose);
}
