using System.CommandLine;
using LLMDistill.Cli.Commands.Inspect;

namespace LLMDistill.Cli.Commands;

/// <summary><c>llmdistill inspect</c>: low-level checks other tools rely on (logits, tokenization, losses).</summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var command = new Command("inspect", "Low-level checks: logits of a model, token ids of a text, distillation losses of reference cases.");
        command.Subcommands.Add(InspectLogitsCommand.Create());
        command.Subcommands.Add(InspectTokenizeCommand.Create());
        command.Subcommands.Add(InspectLossCommand.Create());
        return command;
    }
}
