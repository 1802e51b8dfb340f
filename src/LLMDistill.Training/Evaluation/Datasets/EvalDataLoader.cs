using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using LLMDistill.Data;

namespace LLMDistill.Evaluation.Datasets;

/// <summary>
/// Reads held-out data for <see cref="ModelEvaluator"/>: a dataset directory (read through <see cref="DatasetDirectory"/>:
/// shards in name order, plus the teaching-value scores of its kept rows and of <c>rejected.jsonl</c>), one JSONL file of rows, or a
/// plain text file cut into windows of whole lines (prompt = the first lines, reference = the rest). Errors name the
/// file and line.
/// </summary>
public static class EvalDataLoader
{
    /// <summary>Loads at most <see cref="EvalOptions.MaxSamples"/> samples from <paramref name="path"/>.</summary>
    /// <param name="path">A dataset directory, a <c>.jsonl</c> file or a text file.</param>
    /// <param name="options">Sample limit and text windowing.</param>
    /// <param name="cancellationToken">Cancels reading.</param>
    /// <returns>The data.</returns>
    /// <exception cref="FileNotFoundException">The path does not exist.</exception>
    /// <exception cref="InvalidDataException">A malformed row (the message is <c>file:line: reason</c>), or no samples.</exception>
    public static async Task<EvalData> LoadAsync(string path, EvalOptions options, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(options);
        EvalData data;
        if (Directory.Exists(path))
        {
            data = await LoadDirectoryAsync(path, options.MaxSamples, cancellationToken);
        }
        else if (!File.Exists(path))
        {
            throw new FileNotFoundException($"evaluation data '{path}' does not exist (give a dataset directory, a .jsonl file or a text file)", path);
        }
        else if (path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
        {
            var rows = new List<EvalRowParser.Row>();
            await foreach (var row in ReadRowsAsync(path, allowTornTail: false, cancellationToken))
            {
                if (rows.Count == options.MaxSamples)
                {
                    break;
                }

                rows.Add(row);
            }

            data = new EvalData(path, EvalDataKind.Jsonl, rows.Select(r => r.Sample).ToArray(), $"first {rows.Count} rows", MostCommon(rows));
        }
        else
        {
            data = await TextWindows.LoadAsync(path, options, cancellationToken);
        }

        return data.Samples.Count > 0 ? data : throw new InvalidDataException($"evaluation data '{path}' holds no samples");
    }

    private static async Task<EvalData> LoadDirectoryAsync(string path, int maxSamples, CancellationToken cancellationToken)
    {
        var dataset = DatasetDirectory.Open(path);
        if (dataset.SampleFiles.Count == 0)
        {
            throw new InvalidDataException($"'{path}' is not a dataset directory: it has no {DatasetDirectory.SampleFilePattern}");
        }

        // Every kept row's score goes into the teaching-value distribution; only the first maxSamples are evaluated.
        var rows = new List<EvalRowParser.Row>();
        var kept = new List<double>();
        foreach (var file in dataset.SampleFiles)
        {
            await foreach (var record in JsonlFile.ReadAsync(file, DatasetJson.Default.DistillationSample, skipTornTail: true, cancellationToken))
            {
                var row = record.Value;
                if (row.Scores is { } scores)
                {
                    kept.Add(scores.Combined);
                }

                if (rows.Count < maxSamples)
                {
                    var source = string.Create(CultureInfo.InvariantCulture, $"{file}:{record.LineNumber}");
                    if (string.IsNullOrWhiteSpace(row.Instruction))
                    {
                        throw new InvalidDataException($"{source}: the instruction/prompt is empty");
                    }

                    var sample = new EvalSample(string.IsNullOrEmpty(row.Id) ? source : row.Id, row.Mode, row.Instruction, row.Input, row.Response, source);
                    rows.Add(new EvalRowParser.Row(sample, row.Scores?.Combined, row.Provenance?.Teacher));
                }
            }
        }

        var rejected = new List<double>();
        await foreach (var row in dataset.ReadRejectedAsync(cancellationToken))
        {
            if (row.Scores is { } scores)
            {
                rejected.Add(scores.Combined);
            }
        }

        var description = string.Create(CultureInfo.InvariantCulture, $"first {rows.Count} rows of {dataset.SampleFiles.Count} shard(s); {kept.Count} kept and {rejected.Count} rejected rows with teaching-value scores");
        return new EvalData(path, EvalDataKind.DatasetDirectory, rows.Select(r => r.Sample).ToArray(), description, MostCommon(rows), kept, rejected);
    }

    private static async IAsyncEnumerable<EvalRowParser.Row> ReadRowsAsync(
        string file, bool allowTornTail, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (line, number) in ReadLinesAsync(file, allowTornTail, cancellationToken))
        {
            yield return EvalRowParser.Parse(line, file, number);
        }
    }

    /// <summary>
    /// Non-blank lines with their 1-based numbers. With <paramref name="allowTornTail"/>, an unterminated last line
    /// that is not valid JSON (a writer still running, or killed mid-line) is skipped.
    /// </summary>
    private static async IAsyncEnumerable<(string Line, int Number)> ReadLinesAsync(
        string file, bool allowTornTail, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var terminated = EndsWithNewline(file);
        using var reader = new StreamReader(file, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var number = 0;
        var line = await reader.ReadLineAsync(cancellationToken);
        while (line is not null)
        {
            number++;
            var next = await reader.ReadLineAsync(cancellationToken);
            var tornTail = allowTornTail && next is null && !terminated && !IsJson(line);
            if (!string.IsNullOrWhiteSpace(line) && !tornTail)
            {
                yield return (line, number);
            }

            line = next;
        }
    }

    private static bool EndsWithNewline(string file)
    {
        using var stream = File.OpenRead(file);
        if (stream.Length == 0)
        {
            return true;
        }

        stream.Position = stream.Length - 1;
        return stream.ReadByte() == '\n';
    }

    private static bool IsJson(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string? MostCommon(List<EvalRowParser.Row> rows)
        => rows.Where(r => r.Teacher is not null).GroupBy(r => r.Teacher!, StringComparer.Ordinal).OrderByDescending(g => g.Count()).FirstOrDefault()?.Key;
}
