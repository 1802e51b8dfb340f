using System.Globalization;
using System.Text;
using System.Text.Json;

namespace LLMDistill.Training.Metrics;

/// <summary>
/// Writes <c>metrics.jsonl</c> and <c>metrics.csv</c> in the run directory, one line per record, flushed as written.
/// On resume the lines after the checkpoint's step are dropped first, so the files read as one uninterrupted run.
/// </summary>
internal sealed class MetricsFiles : IDisposable
{
    /// <summary>File name of the JSON Lines metrics.</summary>
    public const string JsonlFile = "metrics.jsonl";

    /// <summary>File name of the CSV metrics.</summary>
    public const string CsvFile = "metrics.csv";

    /// <summary>Part columns of the CSV, in order (a record's other parts are only in the JSONL).</summary>
    public static readonly IReadOnlyList<string> PartColumns =
        ["ce", "forward_kl", "reverse_kl", "jsd", "topk_kl", "fallback_ce", "confident_fraction", "hidden_mse", "kl", "perplexity"];

    private static readonly string CsvHeader = "step,split,loss,lr,temperature,alpha,grad_norm,tokens_per_second,elapsed_seconds," + string.Join(",", PartColumns);
    private readonly StreamWriter _jsonl;
    private readonly StreamWriter _csv;

    /// <summary>Opens the files: fresh, or continuing after <paramref name="resumeStep"/>.</summary>
    /// <param name="directory">The run directory.</param>
    /// <param name="resumeStep">The step training resumes from (keep lines up to it), or null for a fresh run.</param>
    public MetricsFiles(string directory, long? resumeStep)
    {
        Directory.CreateDirectory(directory);
        var jsonlPath = Path.Combine(directory, JsonlFile);
        var kept = resumeStep is { } step && File.Exists(jsonlPath) ? KeptLines(jsonlPath, step) : [];
        _jsonl = new StreamWriter(jsonlPath, append: false, new UTF8Encoding(false));
        _csv = new StreamWriter(Path.Combine(directory, CsvFile), append: false, new UTF8Encoding(false));
        _csv.WriteLine(CsvHeader);
        foreach (var (line, record) in kept)
        {
            _jsonl.WriteLine(line);
            _csv.WriteLine(ToCsv(record));
        }

        _jsonl.Flush();
        _csv.Flush();
    }

    /// <summary>Appends one record to both files.</summary>
    public void Write(TrainingMetrics record)
    {
        ArgumentNullException.ThrowIfNull(record);
        _jsonl.WriteLine(ToJson(record));
        _csv.WriteLine(ToCsv(record));
        _jsonl.Flush();
        _csv.Flush();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _jsonl.Dispose();
        _csv.Dispose();
    }

    /// <summary>The JSON line of a record (non-finite numbers as quoted "NaN"/"Infinity", which the report reader accepts).</summary>
    public static string ToJson(TrainingMetrics r)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("step", r.Step);
            w.WriteString("split", r.Split);
            Number(w, "loss", r.Loss);
            w.WriteStartObject("parts");
            foreach (var (name, value) in r.Parts)
            {
                Number(w, name, value);
            }

            w.WriteEndObject();
            Number(w, "lr", r.LearningRate);
            Number(w, "temperature", r.Temperature);
            if (r.Alpha is { } alpha)
            {
                Number(w, "alpha", alpha);
            }

            Number(w, "tokens_per_second", r.TokensPerSecond);
            Number(w, "elapsed_seconds", r.ElapsedSeconds);
            if (r.GradNorm is { } norm)
            {
                Number(w, "grad_norm", norm);
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Parses a line written by <see cref="ToJson"/>.</summary>
    /// <exception cref="InvalidDataException">Not such a line.</exception>
    public static TrainingMetrics Parse(string line, string location)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var e = document.RootElement;
            var parts = e.TryGetProperty("parts", out var p) ? p.EnumerateObject().ToDictionary(x => x.Name, x => Read(x.Value)) : [];
            return new TrainingMetrics(
                e.GetProperty("step").GetInt64(),
                e.TryGetProperty("split", out var split) ? split.GetString() ?? TrainingMetrics.TrainSplit : TrainingMetrics.TrainSplit,
                Read(e, "loss") ?? double.NaN,
                parts,
                Read(e, "lr") ?? double.NaN,
                Read(e, "temperature") ?? double.NaN,
                Read(e, "alpha"),
                Read(e, "grad_norm"),
                Read(e, "tokens_per_second") ?? double.NaN,
                Read(e, "elapsed_seconds") ?? double.NaN);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{location}: not a metrics line ({ex.Message})", ex);
        }
    }

    private static List<(string Line, TrainingMetrics Record)> KeptLines(string path, long step)
    {
        var kept = new List<(string, TrainingMetrics)>();
        var lines = File.ReadAllLines(path);
        for (var i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                continue;
            }

            TrainingMetrics record;
            try
            {
                record = Parse(lines[i], $"{path}:{i + 1}");
            }
            catch (InvalidDataException) when (i == lines.Length - 1)
            {
                break; // a torn last line from a killed run
            }

            if (record.Step <= step)
            {
                kept.Add((lines[i], record));
            }
        }

        return kept;
    }

    private static string ToCsv(TrainingMetrics r)
    {
        var cells = new List<string>
        {
            r.Step.ToString(CultureInfo.InvariantCulture), r.Split, Cell(r.Loss), Cell(r.LearningRate), Cell(r.Temperature), Cell(r.Alpha), Cell(r.GradNorm),
            Cell(r.TokensPerSecond), Cell(r.ElapsedSeconds),
        };
        cells.AddRange(PartColumns.Select(c => r.Parts.TryGetValue(c, out var v) ? Cell(v) : string.Empty));
        return string.Join(",", cells);
    }

    private static string Cell(double? value) => value is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : string.Empty;

    private static void Number(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value))
        {
            w.WriteNumber(name, value);
        }
        else
        {
            w.WriteString(name, value.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static double? Read(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? Read(v) : null;

    private static double Read(JsonElement v) => v.ValueKind == JsonValueKind.String
        ? double.Parse(v.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture)
        : v.GetDouble();
}
