using System.CommandLine;

namespace LLMDistill.Cli.Commands;

/// <summary><c>llmdistill eval</c> (not built yet).</summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var command = new Command("eval", "(not built yet)");
        command.SetAction((_, ct) => CommandRunner.RunAsync(_ => throw new NotSupportedException("'eval' is not built yet"), ct));
        return command;
    }
}
