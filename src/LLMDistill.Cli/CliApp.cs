using System.CommandLine;
using LLMDistill.Cli.Commands;

namespace LLMDistill.Cli;

/// <summary>The <c>llmdistill</c> command tree. Each command lives in its own file under Commands/.</summary>
internal static class CliApp
{
    public static RootCommand BuildRootCommand()
    {
        var root = new RootCommand("LLMDistill: distill large language models into small TorchSharp students.");
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(GenerateCommand.Create());
        root.Subcommands.Add(MergeCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(SampleCommand.Create());
        root.Subcommands.Add(PullCommand.Create());
        root.Subcommands.Add(InspectCommand.Create());
        return root;
    }

    /// <summary>
    /// How long a command may keep running after Ctrl+C/SIGTERM cancelled it. System.CommandLine's default (2 s) would
    /// end the process in the middle of a checkpoint save or a dataset flush (generate and run end at once on a second signal).
    /// </summary>
    public static readonly TimeSpan TerminationTimeout = TimeSpan.FromSeconds(120);

    public static Task<int> RunAsync(string[] args)
        => BuildRootCommand().Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TerminationTimeout });
}
