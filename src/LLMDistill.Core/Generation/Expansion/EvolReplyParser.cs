using System.Text.RegularExpressions;

namespace LLMDistill.Generation.Expansion;

/// <summary>Reads the single rewritten task of an Evol-Instruct reply, dropping labels such as <c>#Rewritten Task#:</c> and quotes.</summary>
internal static partial class EvolReplyParser
{
    public static (string Instruction, string? Input)? Parse(string reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var lines = reply.ReplaceLineEndings("\n").Split('\n').Select(l => l.Trim()).ToList();
        var instruction = new List<string>();
        var input = new List<string>();
        var inInput = false;
        foreach (var line in lines)
        {
            var label = Label().Match(line);
            var text = label.Success ? line[label.Length..].Trim() : line;
            if (InputLabel().Match(text) is { Success: true } inputMatch)
            {
                inInput = true;
                text = text[inputMatch.Length..].Trim();
            }

            if (text.Length == 0 && !inInput && instruction.Count > 0)
            {
                break; // the task ended; anything after a blank line is commentary
            }

            if (text.Length > 0 || inInput)
            {
                (inInput ? input : instruction).Add(text);
            }
        }

        var task = string.Join(' ', instruction).Trim().Trim('"', '“', '”').Trim();
        var inputText = string.Join('\n', input).Trim();
        return task.Length == 0 ? null : (task, inputText.Length == 0 ? null : inputText);
    }

    [GeneratedRegex(@"^#*\s*(?:rewritten|new|created|evolved)?\s*(?:task|prompt|instruction)\s*#*\s*:", RegexOptions.IgnoreCase)]
    private static partial Regex Label();

    [GeneratedRegex(@"^(?:\*\*)?input(?:\*\*)?\s*:", RegexOptions.IgnoreCase)]
    private static partial Regex InputLabel();
}
