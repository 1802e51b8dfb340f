using System.CommandLine;

namespace LLMDistill.Cli.Commands.Inspect;

/// <summary><c>llmdistill inspect loss</c> (not built yet).</summary>
internal static class InspectLossCommand
{
    public static Command Create()
    {
        var command = new Command("loss", "(not built yet)");
        command.SetAction((_, ct) => CommandRunner.RunAsync(_ => throw new NotSupportedException("'inspect loss' is not built yet"), ct));
        return command;
    }
}
