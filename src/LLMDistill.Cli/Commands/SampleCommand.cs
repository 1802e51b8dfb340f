using System.CommandLine;

namespace LLMDistill.Cli.Commands;

/// <summary><c>llmdistill sample</c> (not built yet).</summary>
internal static class SampleCommand
{
    public static Command Create()
    {
        var command = new Command("sample", "(not built yet)");
        command.SetAction((_, ct) => CommandRunner.RunAsync(_ => throw new NotSupportedException("'sample' is not built yet"), ct));
        return command;
    }
}
