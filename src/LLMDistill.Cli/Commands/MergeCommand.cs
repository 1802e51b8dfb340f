using System.CommandLine;

namespace LLMDistill.Cli.Commands;

/// <summary><c>llmdistill merge</c> (not built yet).</summary>
internal static class MergeCommand
{
    public static Command Create()
    {
        var command = new Command("merge", "(not built yet)");
        command.SetAction((_, ct) => CommandRunner.RunAsync(_ => throw new NotSupportedException("'merge' is not built yet"), ct));
        return command;
    }
}
