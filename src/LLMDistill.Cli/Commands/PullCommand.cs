using System.CommandLine;

namespace LLMDistill.Cli.Commands;

/// <summary><c>llmdistill pull</c> (not built yet).</summary>
internal static class PullCommand
{
    public static Command Create()
    {
        var command = new Command("pull", "(not built yet)");
        command.SetAction((_, ct) => CommandRunner.RunAsync(_ => throw new NotSupportedException("'pull' is not built yet"), ct));
        return command;
    }
}
