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

    /// <summary>Runs the command line.</summary>
    /// <remarks>
    /// System.CommandLine's own signal handling is off (no <c>ProcessTerminationTimeout</c>): its timeout would end the
    /// process in the middle of a checkpoint save or a dataset flush. <see cref="CommandRunner"/> handles Ctrl+C/SIGTERM
    /// for every command instead (<see cref="StopSignals"/>); a second signal ends the process at once.
    /// </remarks>
    public static Task<int> RunAsync(string[] args)
        => BuildRootCommand().Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
}
