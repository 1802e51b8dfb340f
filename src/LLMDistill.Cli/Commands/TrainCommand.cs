using System.CommandLine;
using LLMDistill.Cli.Commands.Train;
using LLMDistill.Cli.Hosting;
using LLMDistill.Configuration;
using LLMDistill.Tokenization;
using LLMDistill.Training;
using LLMDistill.Training.Options;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace LLMDistill.Cli.Commands;

/// <summary>
/// <c>llmdistill train [--config FILE] [--resume DIR|latest|auto] [--Train:Key=Value ...]</c>: distils the teacher into a
/// student as the <c>Train</c> section says (a thin wrapper around <see cref="TrainingService"/>). Progress is a live
/// bar on a terminal and one line per logged step otherwise; the last stdout line is the exported student's directory.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var resume = new Option<string?>("--resume")
        {
            Description = "Continue exactly from a checkpoint: its directory, 'latest' (the newest under Train:OutputDirectory) or 'auto' (the newest if any, else a fresh run).",
            HelpName = "DIR|latest|auto",
        };
        var command = new Command(
            "train",
            "Distil a teacher into a small student (sequence- and token-level KD, packing, schedules, bf16 on CUDA, checkpoints, exact resume). "
            + "Configure with the Train section of appsettings.json or --Train:Key=Value overrides.");
        command.Options.Add(resume);
        var configOption = ConfigOptions.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(
            token => RunAsync(parseResult, configOption, parseResult.GetValue(resume), token),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, Option<string?> configOption, string? resume, CancellationToken cancellationToken)
    {
        var configuration = ConfigOptions.Load(parseResult, configOption);
        TeacherDefaults.ApplyTrainTeacher(configuration, configuration[$"{Teachers.TeacherPoolOptions.SectionName}:Default"]);
        var options = TrainOptionsReader.Read(configuration);
        await using (var hub = ModelReferences.CreateHub(configuration))
        {
            await ModelReferences.ResolveTrainAsync(options, hub.GetRequiredService<LLMDistill.Hub.ModelLocator>(), cancellationToken);
        }

        var tokenizer = OptionsBinder.Bind<TokenizerOptions>(configuration, TokenizerOptions.SectionName);
        var request = new TrainingRequest(options, resume, tokenizer.ChatTemplate);
        var service = new TrainingService();
        TrainingResult result;
        if (Console.IsOutputRedirected)
        {
            result = await service.RunAsync(request, new LineTrainingProgress(Console.Out), cancellationToken);
        }
        else
        {
            result = await AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .StartAsync(context => service.RunAsync(request, new LiveTrainingProgress(context, options.Steps), cancellationToken));
            AnsiConsole.MarkupLine($"[green]student[/]: {Markup.Escape(result.StudentDirectory)}");
            return 0;
        }

        await Console.Out.WriteLineAsync($"student: {result.StudentDirectory}");
        return 0;
    }
}
