using System.CommandLine;

namespace LLMDistill.Cli.Commands;

/// <summary><c>llmdistill serve</c> (not built yet).</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var command = new Command("serve", "(not built yet)");
        command.SetAction((_, ct) => CommandRunner.RunAsync(_ => throw new NotSupportedException("'serve' is not built yet"), ct));
        return command;
    }
}
