using System.CommandLine;

namespace LLMDistill.Cli.Commands;

/// <summary><c>llmdistill generate</c> (not built yet).</summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var command = new Command("generate", "(not built yet)");
        command.SetAction((_, ct) => CommandRunner.RunAsync(_ => throw new NotSupportedException("'generate' is not built yet"), ct));
        return command;
    }
}
