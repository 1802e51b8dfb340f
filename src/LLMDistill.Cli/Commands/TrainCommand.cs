using System.CommandLine;

namespace LLMDistill.Cli.Commands;

/// <summary><c>llmdistill train</c> (not built yet).</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var command = new Command("train", "(not built yet)");
        command.SetAction((_, ct) => CommandRunner.RunAsync(_ => throw new NotSupportedException("'train' is not built yet"), ct));
        return command;
    }
}
