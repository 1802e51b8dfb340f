using System.Text.Json;
using System.Text.Json.Serialization;

namespace LLMDistill.Evaluation.Report;

/// <summary>Writes and reads <c>metrics.json</c> (camelCase, indented, enums as strings, nulls omitted).</summary>
public static class MetricsJson
{
    /// <summary>The serializer settings of metrics.json.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Serializes a report.</summary>
    public static string Serialize(EvaluationReport report) => JsonSerializer.Serialize(report, Options);

    /// <summary>Writes a report to a file (atomically: a temporary file is renamed over the target).</summary>
    /// <param name="report">The report.</param>
    /// <param name="path">The target file.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public static async Task WriteAsync(EvaluationReport report, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, Serialize(report), cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads a report written by <see cref="WriteAsync"/>.</summary>
    /// <param name="path">The metrics.json file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The report.</returns>
    /// <exception cref="InvalidDataException">The file is not valid metrics.json or has another schema version; the message names the file.</exception>
    public static async Task<EvaluationReport> ReadAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        await using var stream = File.OpenRead(path);
        EvaluationReport? report;
        try
        {
            report = await JsonSerializer.DeserializeAsync<EvaluationReport>(stream, Options, cancellationToken);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: not a valid metrics.json ({ex.Message})", ex);
        }

        if (report is null)
        {
            throw new InvalidDataException($"{path}: empty metrics.json");
        }

        if (report.SchemaVersion != EvaluationReport.CurrentSchemaVersion)
        {
            throw new InvalidDataException($"{path}: metrics.json schema version {report.SchemaVersion} is not supported (this build reads version {EvaluationReport.CurrentSchemaVersion}); re-run eval");
        }

        return report;
    }
}
