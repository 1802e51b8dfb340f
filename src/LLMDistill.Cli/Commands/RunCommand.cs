using System.CommandLine;

namespace LLMDistill.Cli.Commands;

/// <summary><c>llmdistill run</c> (not built yet).</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var command = new Command("run", "(not built yet)");
        command.SetAction((_, ct) => CommandRunner.RunAsync(_ => throw new NotSupportedException("'run' is not built yet"), ct));
        return command;
    }
}
