using System.CommandLine;

namespace LLMDistill.Cli.Commands.Inspect;

/// <summary><c>llmdistill inspect tokenize</c> (not built yet).</summary>
internal static class InspectTokenizeCommand
{
    public static Command Create()
    {
        var command = new Command("tokenize", "(not built yet)");
        command.SetAction((_, ct) => CommandRunner.RunAsync(_ => throw new NotSupportedException("'inspect tokenize' is not built yet"), ct));
        return command;
    }
}
