using System.Text.RegularExpressions;

namespace LLMDistill.Generation.Expansion;

/// <summary>
/// Parses the tasks out of a teacher's reply to a Self-Instruct request: numbered (<c>1.</c>, <c>2)</c>, <c>Task 3:</c>)
/// or bulleted (<c>-</c>, <c>*</c>, <c>•</c>) items, Markdown emphasis, items spanning several lines, an <c>Input:</c>
/// line per item, and preambles or closing remarks that are not items.
/// </summary>
internal static partial class TaskListParser
{
    /// <summary>The items of <paramref name="reply"/>: instruction and optional input.</summary>
    /// <param name="reply">The teacher's text.</param>
    /// <param name="truncated">The reply hit the token limit: its last item may be cut off and is dropped.</param>
    public static IReadOnlyList<(string Instruction, string? Input)> Parse(string reply, bool truncated)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var items = new List<List<string>>();
        List<string>? current = null;
        var sawMarker = false;
        foreach (var raw in reply.ReplaceLineEndings("\n").Split('\n'))
        {
            var line = raw.TrimEnd();
            var marker = ItemMarker().Match(line);
            if (marker.Success)
            {
                sawMarker = true;
                current = [line[marker.Length..]];
                items.Add(current);
            }
            else if (line.Trim().Length == 0)
            {
                // A blank line ends an item unless the next line is its Input.
                if (current is not null && current.Count > 0 && current[^1].Length > 0)
                {
                    current.Add("");
                }
            }
            else if (current is not null)
            {
                current.Add(line.Trim());
            }
        }

        if (!sawMarker)
        {
            // No list: one task per paragraph (a model that ignored the numbering).
            items = reply.ReplaceLineEndings("\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Split('\n').Select(l => l.Trim()).ToList()).ToList();
        }

        if (truncated && items.Count > 0)
        {
            items.RemoveAt(items.Count - 1);
        }

        return items.Select(ToTask).Where(t => t.Instruction.Length > 0).ToList();
    }

    private static (string Instruction, string? Input) ToTask(List<string> lines)
    {
        var instruction = new List<string>();
        var input = new List<string>();
        var inInput = false;
        var ended = false;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var inputMatch = InputLabel().Match(line);
            if (inputMatch.Success && !ended)
            {
                inInput = true;
                input.Add(line[inputMatch.Length..].Trim());
            }
            else if (line.Length == 0)
            {
                // A blank line ends the item, unless the item's Input follows it; what comes after is commentary.
                ended |= !(i + 1 < lines.Count && !inInput && InputLabel().IsMatch(lines[i + 1]));
            }
            else if (!ended)
            {
                (inInput ? input : instruction).Add(line);
            }
        }

        var text = Clean(string.Join(' ', instruction.Where(l => l.Length > 0)));
        var inputText = string.Join('\n', input).Trim();
        return (text, inputText.Length == 0 || NoInput().IsMatch(inputText) ? null : inputText);
    }

    private static string Clean(string text)
    {
        var t = Emphasis().Replace(text, "$1").Trim();
        t = TaskLabel().Replace(t, "");
        if (t.Length >= 2 && ((t[0] == '"' && t[^1] == '"') || (t[0] == '“' && t[^1] == '”')))
        {
            t = t[1..^1].Trim();
        }

        return t;
    }

    [GeneratedRegex(@"^\s*(?:(?:\*\*)?(?:task|instruction)\s*\d+\s*[:.)](?:\*\*)?|\d{1,3}\s*[.)]|[-*•]|\(\d{1,3}\))\s+", RegexOptions.IgnoreCase)]
    private static partial Regex ItemMarker();

    [GeneratedRegex(@"^\s*(?:\*\*)?input(?:\*\*)?\s*:(?:\*\*)?", RegexOptions.IgnoreCase)]
    private static partial Regex InputLabel();

    [GeneratedRegex(@"^(?:<noinput>|none|n/?a|-)$", RegexOptions.IgnoreCase)]
    private static partial Regex NoInput();

    [GeneratedRegex(@"\*\*(.+?)\*\*|__(.+?)__")]
    private static partial Regex Emphasis();

    [GeneratedRegex(@"^(?:task|instruction)\s*\d*\s*[:.)]\s*", RegexOptions.IgnoreCase)]
    private static partial Regex TaskLabel();
}
