using System.CommandLine;

namespace LLMDistill.Cli.Commands.Inspect;

/// <summary><c>llmdistill inspect logits</c> (not built yet).</summary>
internal static class InspectLogitsCommand
{
    public static Command Create()
    {
        var command = new Command("logits", "(not built yet)");
        command.SetAction((_, ct) => CommandRunner.RunAsync(_ => throw new NotSupportedException("'inspect logits' is not built yet"), ct));
        return command;
    }
}
