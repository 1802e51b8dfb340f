using System.CommandLine;
using LLMDistill.Cli.Hosting;
using LLMDistill.Configuration;
using LLMDistill.Hub;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace LLMDistill.Cli.Commands;

/// <summary>
/// <c>llmdistill pull &lt;repo-id&gt;</c>: downloads a Hugging Face model into the shared cache and prints its
/// snapshot directory on stdout (the only thing on stdout, so <c>dir=$(llmdistill pull org/name)</c> works).
/// Progress goes to stderr, and only on a terminal.
/// </summary>
internal static class PullCommand
{
    public static Command Create()
    {
        var repoArgument = new Argument<string>("repo-id")
        {
            Description = "The model repository, e.g. HuggingFaceTB/SmolLM2-135M-Instruct (hf:org/name@revision also works).",
        };
        var revisionOption = new Option<string?>("--revision")
        {
            Description = "Branch, tag or commit hash to download [default: main].",
            HelpName = "REV",
        };
        var cacheDirOption = new Option<string?>("--cache-dir")
        {
            Description = "Cache root [default: Hub:CacheDir, else HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub].",
            HelpName = "DIR",
        };
        var includeOption = new Option<string[]>("--include")
        {
            Description = "Also download files matching this fnmatch pattern, e.g. '*.bin' (repeat for several). "
                + "By default: config, generation config, *.safetensors (+ index) and tokenizer files.",
            HelpName = "PATTERN",
        };

        var command = new Command(
            "pull",
            "Download a Hugging Face model into the local cache (huggingface_hub layout, shared with Python tools) and print its directory. "
            + "Honours HF_ENDPOINT, HF_TOKEN, HF_HUB_OFFLINE, HF_HUB_CACHE and HF_HOME; interrupted downloads resume.");
        command.Arguments.Add(repoArgument);
        command.Options.Add(revisionOption);
        command.Options.Add(cacheDirOption);
        command.Options.Add(includeOption);
        var configOption = ConfigOptions.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(
            token => RunAsync(
                parseResult,
                new PullArguments(
                    parseResult.GetValue(repoArgument) ?? string.Empty,
                    parseResult.GetValue(revisionOption),
                    parseResult.GetValue(cacheDirOption),
                    parseResult.GetValue(includeOption) ?? []),
                configOption,
                token),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, PullArguments arguments, Option<string?> configOption, CancellationToken cancellationToken)
    {
        var configuration = ConfigOptions.Load(parseResult, configOption);
        var options = OptionsBinder.Bind<HubOptions>(configuration, HubOptions.SectionName);
        if (!string.IsNullOrWhiteSpace(arguments.CacheDir))
        {
            options.CacheDir = arguments.CacheDir;
        }

        var reference = HubModelReference.Parse(arguments.RepoId);
        var revision = string.IsNullOrWhiteSpace(arguments.Revision) ? reference.Revision : arguments.Revision.Trim();
        var request = new HubPullRequest(reference.RepoId, revision, arguments.Include);

        await using var services = new ServiceCollection().AddLlmDistillHub(options).BuildServiceProvider();
        var downloader = services.GetRequiredService<HubDownloader>();
        var snapshot = Console.IsErrorRedirected
            ? await downloader.PullAsync(request, progress: null, cancellationToken)
            : await PullWithProgressAsync(downloader, request, cancellationToken);
        await Console.Out.WriteLineAsync(snapshot.Directory);
        return 0;
    }

    /// <summary>Renders one progress bar per file (bytes, rate, time left) on stderr while the pull runs.</summary>
    private static async Task<HubSnapshot> PullWithProgressAsync(HubDownloader downloader, HubPullRequest request, CancellationToken cancellationToken)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        var snapshot = await console.Progress()
            .AutoClear(false)
            .Columns(
                new TaskDescriptionColumn { Alignment = Justify.Left },
                new ProgressBarColumn(),
                new PercentageColumn(),
                new DownloadedColumn(),
                new TransferSpeedColumn(),
                new RemainingTimeColumn())
            .StartAsync(context => downloader.PullAsync(request, new ProgressRenderer(context), cancellationToken));
        console.MarkupLine(snapshot.UsedNetwork
            ? $"[green]{Markup.Escape(request.RepoId.Value)}@{Markup.Escape(snapshot.Revision)}[/] (commit {snapshot.CommitSha[..8]}): "
                + $"{snapshot.DownloadedFiles} of {snapshot.Files.Count} files downloaded, {snapshot.TransferredBytes:N0} bytes"
            : $"[green]{Markup.Escape(request.RepoId.Value)}@{Markup.Escape(snapshot.Revision)}[/] (commit {snapshot.CommitSha[..8]}) is already in the cache");
        return snapshot;
    }

    private sealed record PullArguments(string RepoId, string? Revision, string? CacheDir, IReadOnlyList<string> Include);

    /// <summary>Maps progress reports (from any download thread) onto Spectre tasks, one per file.</summary>
    private sealed class ProgressRenderer(ProgressContext context) : IProgress<HubDownloadProgress>
    {
        private readonly Lock _lock = new();
        private readonly Dictionary<string, ProgressTask> _tasks = new(StringComparer.Ordinal);

        public void Report(HubDownloadProgress value)
        {
            lock (_lock)
            {
                if (!_tasks.TryGetValue(value.File, out var task))
                {
                    task = context.AddTask(Markup.Escape(value.File), maxValue: Math.Max(1, value.FileSize));
                    _tasks[value.File] = task;
                }

                task.Value = value.FileCompleted ? task.MaxValue : value.FileBytes;
                if (value.FileCompleted)
                {
                    task.StopTask();
                }
            }
        }
    }
}
