using System.CommandLine;

namespace LLMDistill.Cli.Commands;

/// <summary><c>llmdistill inspect</c> (not built yet).</summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var command = new Command("inspect", "(not built yet)");
        command.SetAction((_, ct) => CommandRunner.RunAsync(_ => throw new NotSupportedException("'inspect' is not built yet"), ct));
        return command;
    }
}
