using System.CommandLine;
using System.Globalization;
using LLMDistill.Cli.Commands.Generate;
using LLMDistill.Cli.Commands.Run;
using LLMDistill.Cli.Hosting;
using LLMDistill.Hub;
using LLMDistill.Pipeline;
using LLMDistill.Teachers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LLMDistill.Cli.Commands;

/// <summary>
/// <c>llmdistill run [--config appsettings.json] [--out DIR] [--restart] [--verbose] [--Section:Key=Value ...]</c>: the
/// end-to-end job (generate → split → train the students → evaluate) in one resumable run directory
/// (<c>runs/&lt;name&gt;/</c>), a thin wrapper around <see cref="DistillationJob"/>. Progress goes to stdout as lines,
/// logs (with <c>--verbose</c>) to stderr, and the last lines summarise where everything is.
/// </summary>
internal static class RunCommand
{
    public static Command Create() => Create(DefaultTeachers.Create);

    /// <summary>The command with a given teacher factory (tests pass fakes).</summary>
    public static Command Create(Func<IConfiguration, ILoggerFactory, ITeacherFactory> teachers)
    {
        var output = new Option<string?>("--out") { Description = "Run directory [default: <Run:RunsDirectory>/<Run:Name or the teacher's model name>].", HelpName = "DIR" };
        var restart = new Option<bool>("--restart") { Description = "Forget what this run directory completed and start every stage over." };
        var verbose = new Option<bool>("--verbose") { Description = "Log every stage's details to stderr." };
        var command = new Command(
            "run",
            "The whole job: generate a dataset with the teacher, train the student (and the comparison students), evaluate them on held-out data and write the report. "
            + "Rerun the same command to resume; completed stages are skipped unless their settings changed.")
        {
            output, restart, verbose,
        };
        var config = ConfigOptions.AddTo(command);
        command.SetAction((parseResult, ct) => CommandRunner.RunAsync(
                token => RunAsync(ConfigOptions.Load(parseResult, config), parseResult.GetValue(output), parseResult.GetValue(restart), parseResult.GetValue(verbose), teachers, token),
            ct));
        return command;
    }

    private static async Task<int> RunAsync(
        IConfigurationRoot configuration, string? output, bool restart, bool verbose, Func<IConfiguration, ILoggerFactory, ITeacherFactory> teachers, CancellationToken cancellationToken)
    {
        var autoMode = RunSetup.Validate(configuration);
        // Without --verbose only warnings are logged: an error that ends the job is its one stderr line, not a log line too.
        using var loggerFactory = verbose
            ? GenerateCommand.CreateLoggerFactory(LogLevel.Information)
            : LoggerFactory.Create(builder => builder
                .AddFilter((_, level) => level == LogLevel.Warning)
                .AddSimpleConsole(o => o.SingleLine = true)
                .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        await using var factory = teachers(configuration, loggerFactory); // validates every enabled teacher
        JobSettings settings;
        await using (var hub = ModelReferences.CreateHub(configuration))
        {
            settings = await RunSetup.ResolveAsync(configuration, autoMode, output, hub.GetRequiredService<ModelLocator>(), cancellationToken);
        }

        var job = new DistillationJob(settings, factory, loggerFactory);
        var variants = string.Join(", ", job.Variants.Select(v => v.Name));
        await Console.Out.WriteLineAsync(
            $"run: {settings.RunDirectory}: teacher '{settings.Teacher.Name}' ({settings.Teacher.Model}), {settings.Generate.Mode.ToString().ToLowerInvariant()} mode, "
            + string.Create(CultureInfo.InvariantCulture, $"{settings.Generate.TargetSamples} samples, students {variants}"));
        var result = await job.RunAsync(restart, new RunConsole(Console.Out), cancellationToken);
        await RunSummary.WriteAsync(result, Console.Out);
        return 0;
    }
}
