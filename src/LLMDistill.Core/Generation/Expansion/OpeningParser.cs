namespace LLMDistill.Generation.Expansion;

/// <summary>
/// Parses new openings out of a base model's continuation of a run of openings: blocks separated by blank lines,
/// each cut to its first <c>lines</c> lines (e.g. <c>ROMEO:</c> plus one line of verse). When the token limit cut the
/// continuation, its partial last line is dropped (the block before it still counts if enough whole lines remain); a
/// block that does not start with a speaker-like line is dropped when the examples start with one.
/// </summary>
internal static class OpeningParser
{
    public static IReadOnlyList<string> Parse(string continuation, int lines, bool truncated, bool requireSpeaker)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        var text = continuation.ReplaceLineEndings("\n");
        if (truncated)
        {
            // Only the last line can be cut off. Dropping just that line keeps an opening whose first lines are whole:
            // a base model rarely ends a speech within the token limit, so dropping the whole block lost most openings.
            text = text[..(text.LastIndexOf('\n') + 1)];
        }

        var blocks = text.Split("\n\n").Select(b => b.Trim('\n')).ToList();

        var openings = new List<string>();
        foreach (var block in blocks)
        {
            var blockLines = block.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Trim().Length > 0).ToList();
            if (blockLines.Count < Math.Min(lines, 2) || (requireSpeaker && !IsSpeakerLine(blockLines[0])))
            {
                continue;
            }

            openings.Add(string.Join('\n', blockLines.Take(lines)) + "\n");
        }

        return openings;
    }

    /// <summary>True for a line such as <c>KING HENRY:</c> or <c>First Citizen:</c>.</summary>
    public static bool IsSpeakerLine(string line)
    {
        var t = line.Trim();
        return t.Length is >= 2 and <= 40 && t[^1] == ':' && char.IsUpper(t[0]) && t[..^1].All(c => char.IsLetter(c) || c is ' ' or '\'' or '-' or '.');
    }
}
