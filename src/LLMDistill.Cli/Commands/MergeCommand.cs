using System.CommandLine;
using System.Globalization;
using LLMDistill.Cli.Commands.Generate;
using LLMDistill.Cli.Hosting;
using LLMDistill.Configuration;
using LLMDistill.Generation;
using LLMDistill.Generation.Merge;
using LLMDistill.Generation.Prompts;
using LLMDistill.Teachers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace LLMDistill.Cli.Commands;

/// <summary>
/// <c>llmdistill merge RUN1 RUN2 ... --out DIR [--force] [--rescore]</c>: merges dataset directories (dedupe, provenance
/// kept, optionally re-judged with <c>Generate:JudgeTeacher</c>) into a new one of the same format.
/// </summary>
internal static class MergeCommand
{
    public static Command Create() => Create(DefaultTeachers.Create);

    /// <summary>The command with a given teacher factory (tests pass fakes).</summary>
    public static Command Create(Func<IConfiguration, ILoggerFactory, ITeacherFactory> teachers)
    {
        var command = new Command("merge", "Merge dataset directories into one: duplicates and near duplicates removed (earlier inputs win), provenance kept, optional re-scoring.");
        var config = ConfigOptions.AddTo(command);
        var runs = new Argument<string[]>("runs") { Description = "Dataset directories to merge, in priority order.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "The merged dataset directory.", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace a dataset already in --out." };
        var rescore = new Option<bool>("--rescore") { Description = "Re-judge every kept sample with Generate:JudgeTeacher." };
        command.Arguments.Add(runs);
        command.Options.Add(output);
        command.Options.Add(force);
        command.Options.Add(rescore);
        command.SetAction((parseResult, ct) => CommandRunner.RunAsync(
            token => RunAsync(ConfigOptions.Load(parseResult, config), parseResult.GetValue(runs)!, parseResult.GetValue(output)!, parseResult.GetValue(force), parseResult.GetValue(rescore), teachers, token), ct));
        return command;
    }

    private static async Task<int> RunAsync(IConfiguration configuration, string[] runs, string output, bool force, bool rescore, Func<IConfiguration, ILoggerFactory, ITeacherFactory> teachers, CancellationToken cancellationToken)
    {
        // merge needs only the dedupe, output and judge settings of the Generate section, not its teachers.
        TeacherDefaults.Prepare(configuration); // Generate:Mode=auto and unset teacher roles; merge keeps each input's mode
        var options = new GenerateOptions();
        try
        {
            configuration.GetSection(GenerateOptions.SectionName).Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            throw new OptionsValidationException($"{GenerateOptions.SectionName}: {ex.InnerException?.Message ?? ex.Message}", ex);
        }

        OptionsBinder.Validate(options.Dedupe, GenerateOptions.SectionName + ":Dedupe");
        OptionsBinder.Validate(options.Pipeline, GenerateOptions.SectionName + ":Pipeline");
        OptionsBinder.Validate(options.Score, GenerateOptions.SectionName + ":Score");
        var merger = new DatasetMerger(options.Dedupe, options.Pipeline.ShardSize);
        Data.DatasetManifest manifest;
        if (rescore)
        {
            if (string.IsNullOrWhiteSpace(options.JudgeTeacher))
            {
                throw new OptionsValidationException("Generate:JudgeTeacher: --rescore needs a judge teacher");
            }

            using var loggerFactory = GenerateCommand.CreateLoggerFactory(LogLevel.Warning);
            await using var factory = teachers(configuration, loggerFactory);
            var judge = await factory.GetAsync(options.JudgeTeacher, cancellationToken);
            var prompts = PromptLibrary.Load(Path.Combine(Environment.CurrentDirectory, options.PromptsDirectory), [TemplateNames.Judge, TemplateNames.JudgeCompletion]);
            var rescorer = new JudgeRescorer(judge, prompts, options.Score, options.Seed);
            manifest = await merger.MergeAsync(runs, output, force, rescorer.RescoreAsync, cancellationToken);
        }
        else
        {
            manifest = await merger.MergeAsync(runs, output, force, null, cancellationToken);
        }

        var reasons = string.Join(", ", manifest.Rejections.OrderByDescending(r => r.Value).Select(r => $"{r.Key}={r.Value}"));
        await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"merge: {manifest.Counts["kept"]} samples from {runs.Length} datasets in {Path.GetFullPath(output)} (rejected {manifest.Counts["rejected"]}{(reasons.Length > 0 ? ": " + reasons : "")}; alternatives added {manifest.Counts["alternativesAdded"]})"));
        return 0;
    }
}
