using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using LLMDistill.Data;
using LLMDistill.Teachers;

namespace LLMDistill.Training.Data;

/// <summary>
/// Reads samples from a dataset directory written by <c>generate</c> (through <see cref="DatasetDirectory"/>) or from a JSONL file of <c>{"instruction","input"?,"response"|"output"}</c>
/// (chat) or <c>{"prompt","completion"}</c> (raw text) objects, each optionally with <c>"logprobs"</c> and <c>"id"</c>.
/// Errors are <c>file:line: reason</c>. An unterminated, unparsable last line (a writer killed mid-line) is skipped.
/// </summary>
internal static class SampleFileReader
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>
    /// Reads every sample of a dataset directory through <see cref="DatasetDirectory"/> (the one reader of
    /// <c>generate</c>/<c>merge</c> output): shards in name order, a torn last line skipped.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="InvalidDataException">Not a dataset directory, or a malformed row (<c>file:line: reason</c>).</exception>
    public static List<SourceSample> ReadDataset(string directory, CancellationToken cancellationToken)
    {
        var dataset = DatasetDirectory.Open(directory);
        if (dataset.SampleFiles.Count == 0)
        {
            throw new InvalidDataException($"'{directory}' is not a dataset directory: it has no {DatasetDirectory.SampleFilePattern} (write one with 'llmdistill generate')");
        }

        var samples = new List<SourceSample>();
        foreach (var file in dataset.SampleFiles)
        {
            // The trainer loads data on its own dedicated thread, so waiting for the async reader here blocks nothing else.
            foreach (var record in JsonlFile.ReadAsync(file, DatasetJson.Default.DistillationSample, skipTornTail: true, cancellationToken).ToBlockingEnumerable(cancellationToken))
            {
                var location = string.Create(CultureInfo.InvariantCulture, $"{file}:{record.LineNumber}");
                var row = record.Value;
                if (string.IsNullOrEmpty(row.Id) || row.Instruction is null || row.Response is null)
                {
                    throw new InvalidDataException($"{location}: a dataset row needs \"id\", \"instruction\" and \"response\"");
                }

                samples.Add(new SourceSample(row.Id, row.Mode, row.Instruction, row.Input, row.Response, row.Logprobs, location));
            }
        }

        return samples;
    }

    /// <summary>Reads every sample of <paramref name="files"/>.</summary>
    /// <exception cref="InvalidDataException">A line is malformed; the message names the file, line and field.</exception>
    public static List<SourceSample> Read(IEnumerable<string> files, CancellationToken cancellationToken)
    {
        var samples = new List<SourceSample>();
        foreach (var file in files)
        {
            var lines = File.ReadAllLines(file, Encoding.UTF8);
            var terminated = new FileInfo(file).Length == 0 || EndsWithNewline(file);
            for (var i = 0; i < lines.Length; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var line = lines[i];
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                var location = string.Create(CultureInfo.InvariantCulture, $"{file}:{i + 1}");
                JsonDocument document;
                try
                {
                    document = JsonDocument.Parse(line);
                }
                catch (JsonException ex) when (i == lines.Length - 1 && !terminated)
                {
                    _ = ex; // a torn last line: the writer was killed mid-line
                    break;
                }
                catch (JsonException ex)
                {
                    throw new InvalidDataException($"{location}: not valid JSON ({ex.Message})", ex);
                }

                using (document)
                {
                    samples.Add(Parse(document.RootElement, location));
                }
            }
        }

        return samples;
    }

    private static SourceSample Parse(JsonElement row, string location)
    {
        if (row.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{location}: expected a JSON object");
        }

        var logprobs = ReadLogprobs(row, location);
        var id = OptionalString(row, "id", location);
        if (OptionalString(row, "instruction", location) is { } instruction)
        {
            var response = OptionalString(row, "response", location) ?? OptionalString(row, "output", location)
                ?? throw new InvalidDataException($"{location}: a row with \"instruction\" needs a string \"response\" (or \"output\")");
            var mode = OptionalString(row, "mode", location);
            var completion = mode is not null && mode.Equals("completion", StringComparison.OrdinalIgnoreCase);
            if (mode is not null && !completion && !mode.Equals("chat", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidDataException($"{location}: \"mode\" must be \"chat\" or \"completion\" (got \"{mode}\")");
            }

            var input = OptionalString(row, "input", location);
            return new SourceSample(id ?? ContentKey(instruction, input, response), completion ? TeacherMode.Completion : TeacherMode.Chat, instruction, input, response, logprobs, location);
        }

        if (OptionalString(row, "prompt", location) is { } prompt)
        {
            var completion = OptionalString(row, "completion", location)
                ?? throw new InvalidDataException($"{location}: a row with \"prompt\" needs a string \"completion\"");
            return new SourceSample(id ?? ContentKey(prompt, null, completion), TeacherMode.Completion, prompt, null, completion, logprobs, location);
        }

        throw new InvalidDataException($"{location}: expected \"instruction\" + \"response\" (chat) or \"prompt\" + \"completion\" (text)");
    }

    private static List<TokenLogprob>? ReadLogprobs(JsonElement row, string location)
    {
        if (!row.TryGetProperty("logprobs", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        try
        {
            var list = element.Deserialize<List<TokenLogprob>>(JsonOptions);
            if (list is null || list.Any(t => t is null || t.Top is null))
            {
                throw new InvalidDataException($"{location}: \"logprobs\" must be an array of {{token, logprob, top: [...]}} objects");
            }

            return list;
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{location}: \"logprobs\" is malformed ({ex.Message})", ex);
        }
    }

    private static string? OptionalString(JsonElement row, string name, string location)
    {
        if (!row.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new InvalidDataException($"{location}: \"{name}\" must be a string (got {value.ValueKind})");
    }

    private static string ContentKey(string prompt, string? input, string response)
        => StableHash.Of(prompt + "\u0000" + input + "\u0000" + response).ToString("x16", CultureInfo.InvariantCulture);

    private static bool EndsWithNewline(string file)
    {
        using var stream = File.OpenRead(file);
        stream.Position = stream.Length - 1;
        return stream.ReadByte() == '\n';
    }
}
