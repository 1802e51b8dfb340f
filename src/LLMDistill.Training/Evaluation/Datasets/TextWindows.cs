using System.Globalization;
using System.Text;
using LLMDistill.Teachers;

namespace LLMDistill.Evaluation.Datasets;

/// <summary>
/// Cuts a text file into consecutive windows of whole lines for completion-style evaluation: a window starts at a line
/// start, its prompt is the first lines reaching <see cref="EvalOptions.TextPromptChars"/> and its reference the
/// following lines up to <see cref="EvalOptions.TextWindowChars"/> in all. Evaluation starts at
/// <see cref="EvalOptions.TextStart"/> of the file (moved to the next line start), so the tail of a training corpus
/// can serve as held-out data.
/// </summary>
internal static class TextWindows
{
    public static async Task<EvalData> LoadAsync(string path, EvalOptions options, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, new UTF8Encoding(false, throwOnInvalidBytes: true), cancellationToken);
        }
        catch (DecoderFallbackException ex)
        {
            throw new InvalidDataException($"{path}: not UTF-8 text (give a dataset directory, a .jsonl file or a UTF-8 text file)", ex);
        }

        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{path}: contains NUL bytes; not a text file (give a dataset directory, a .jsonl file or a UTF-8 text file)");
        }

        text = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        var start = (int)(text.Length * options.TextStart);
        if (start > 0)
        {
            var newline = text.IndexOf('\n', start - 1);
            start = newline < 0 ? text.Length : newline + 1;
        }

        var lineNumber = 1 + text.AsSpan(0, start).Count('\n');
        var name = Path.GetFileName(path);
        var samples = new List<EvalSample>();
        var position = start;
        while (samples.Count < options.MaxSamples && position < text.Length)
        {
            var firstLine = lineNumber;
            var prompt = TakeLines(text, ref position, ref lineNumber, options.TextPromptChars);
            var reference = TakeLines(text, ref position, ref lineNumber, options.TextWindowChars - prompt.Length);
            if (reference.Trim().Length == 0 || prompt.Trim().Length == 0)
            {
                continue;
            }

            var id = string.Create(CultureInfo.InvariantCulture, $"{name}:{firstLine}");
            samples.Add(new EvalSample(id, TeacherMode.Completion, prompt, null, reference, id));
        }

        var from = options.TextStart > 0 ? string.Create(CultureInfo.InvariantCulture, $" from {options.TextStart:0.###} of the file") : string.Empty;
        var description = string.Create(
            CultureInfo.InvariantCulture,
            $"{samples.Count} text windows of about {options.TextWindowChars} characters{from} (prompt: the first lines of about {options.TextPromptChars} characters)");
        return new EvalData(path, EvalDataKind.Text, samples, description);
    }

    /// <summary>Whole lines from <paramref name="position"/> until at least <paramref name="chars"/> characters (at least one line).</summary>
    private static string TakeLines(string text, ref int position, ref int lineNumber, int chars)
    {
        var begin = position;
        while (position < text.Length && (position == begin || position - begin < chars))
        {
            var newline = text.IndexOf('\n', position);
            position = newline < 0 ? text.Length : newline + 1;
            lineNumber++;
        }

        return text[begin..position];
    }
}
