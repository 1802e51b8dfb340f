using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace LLMDistill.Data;

/// <summary>
/// Reads JSON Lines files (one JSON value per line, UTF-8, <c>\n</c>-terminated) and repairs the torn last line that a
/// killed writer can leave behind. Errors name the file and line.
/// </summary>
public static class JsonlFile
{
    /// <summary>Reads every non-blank line of <paramref name="path"/> as a <typeparamref name="T"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="typeInfo">Source-generated type info (e.g. <c>DatasetJson.Default.DistillationSample</c>).</param>
    /// <param name="skipTornTail">Silently skip an unterminated last line that is not valid JSON (a writer was killed mid-line).</param>
    /// <param name="cancellationToken">Cancels reading.</param>
    /// <returns>The rows with their line numbers.</returns>
    /// <exception cref="InvalidDataException">A line is not valid JSON for <typeparamref name="T"/>; the message is <c>file:line: reason</c>.</exception>
    public static async IAsyncEnumerable<JsonlRecord<T>> ReadAsync<T>(
        string path,
        JsonTypeInfo<T> typeInfo,
        bool skipTornTail,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(typeInfo);
        var terminated = EndsWithNewline(path);
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, new FileStreamOptions { Options = FileOptions.SequentialScan });
        var lineNumber = 0;
        string? line = await reader.ReadLineAsync(cancellationToken);
        while (line is not null)
        {
            lineNumber++;
            var next = await reader.ReadLineAsync(cancellationToken);
            var isTail = next is null && !terminated;
            if (!string.IsNullOrWhiteSpace(line) && line.Trim('\0').Length > 0)
            {
                T? value;
                try
                {
                    value = JsonSerializer.Deserialize(line, typeInfo);
                }
                catch (JsonException ex) when (isTail && skipTornTail)
                {
                    _ = ex; // a torn tail is expected after a crash; the writer's repair truncates it
                    yield break;
                }
                catch (JsonException ex)
                {
                    throw new InvalidDataException($"{path}:{lineNumber}: {ex.Message}", ex);
                }

                yield return value is null
                    ? throw new InvalidDataException($"{path}:{lineNumber}: the line is JSON null")
                    : new JsonlRecord<T>(lineNumber, value);
            }

            line = next;
        }
    }

    /// <summary>
    /// Makes <paramref name="path"/> end at a complete line: removes trailing NUL bytes (a crash after the size was
    /// extended but before the data landed) and an unterminated last line that is not valid JSON, and terminates a
    /// valid unterminated one. Appending after this never glues two records together.
    /// </summary>
    /// <param name="path">An existing JSONL file.</param>
    /// <returns>The number of bytes removed (0 when the file was intact).</returns>
    public static long RepairTornTail(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        var length = stream.Length;
        var end = length;
        while (end > 0 && ReadByte(stream, end - 1) == 0)
        {
            end--;
        }

        if (end > 0 && ReadByte(stream, end - 1) != (byte)'\n')
        {
            var start = end - 1;
            while (start > 0 && ReadByte(stream, start - 1) != (byte)'\n')
            {
                start--;
            }

            var tail = new byte[end - start];
            stream.Position = start;
            stream.ReadExactly(tail);
            if (IsCompleteJson(tail))
            {
                stream.SetLength(end);
                stream.Position = end;
                stream.WriteByte((byte)'\n');
                stream.Flush(flushToDisk: true);
                return length - end;
            }

            end = start;
        }

        if (end != length)
        {
            stream.SetLength(end);
            stream.Flush(flushToDisk: true);
        }

        return length - end;
    }

    private static bool IsCompleteJson(byte[] utf8)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static int ReadByte(FileStream stream, long position)
    {
        stream.Position = position;
        return stream.ReadByte();
    }

    private static bool EndsWithNewline(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var position = stream.Length;
        while (position > 0)
        {
            stream.Position = --position;
            var b = stream.ReadByte();
            if (b != 0)
            {
                return b == '\n';
            }
        }

        return true;
    }
}
