using System.Text.Json;

namespace LLMDistill.Evaluation.Report;

/// <summary>Reads the trainer's <c>metrics.jsonl</c>; a malformed line is an error naming the file and line.</summary>
public static class TrainingMetricsReader
{
    private static readonly string[] NonFiniteLiterals = ["-Infinity", "Infinity", "NaN"];

    private static readonly JsonSerializerOptions Options = new() { AllowTrailingCommas = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>Reads every record of a metrics file (blank lines are skipped).</summary>
    /// <param name="path">The <c>metrics.jsonl</c> file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The records in file order.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A line is not a JSON object with an integer <c>step</c>, or its split is unknown.</exception>
    public static async Task<IReadOnlyList<TrainingMetricsRecord>> ReadAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"training metrics file '{path}' not found", path);
        }

        var records = new List<TrainingMetricsRecord>();
        var lineNumber = 0;
        await foreach (var line in File.ReadLinesAsync(path, cancellationToken))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            records.Add(ParseLine(line, $"{path}:{lineNumber}"));
        }

        return records;
    }

    /// <summary>Parses one line.</summary>
    /// <param name="line">The JSON text.</param>
    /// <param name="location">file:line for error messages.</param>
    /// <returns>The record.</returns>
    /// <exception cref="InvalidDataException">The line is malformed; the message starts with <paramref name="location"/>.</exception>
    public static TrainingMetricsRecord ParseLine(string line, string location)
    {
        TrainingMetricsRecord? record;
        try
        {
            line = QuoteNonFiniteLiterals(line);
            using var document = JsonDocument.Parse(line);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{location}: expected a JSON object");
            }

            if (!document.RootElement.TryGetProperty("step", out var step) || step.ValueKind != JsonValueKind.Number || !step.TryGetInt32(out _))
            {
                throw new InvalidDataException($"{location}: missing or non-integer \"step\"");
            }

            record = document.RootElement.Deserialize<TrainingMetricsRecord>(Options);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{location}: {ex.Message}", ex);
        }

        if (record is null || record.Split is not ("train" or "eval"))
        {
            throw new InvalidDataException($"{location}: \"split\" must be \"train\" or \"eval\" (got \"{record?.Split}\")");
        }

        return record;
    }

    // A diverged run may log bare NaN/Infinity (as Python's json module does); quoting them lets the
    // named-literal number handling read them instead of failing the whole file.
    private static string QuoteNonFiniteLiterals(string line)
    {
        if (!line.Contains("NaN", StringComparison.Ordinal) && !line.Contains("Infinity", StringComparison.Ordinal))
        {
            return line;
        }

        var builder = new System.Text.StringBuilder(line.Length + 8);
        var inString = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (inString)
            {
                builder.Append(c);
                if (c == '\\' && i + 1 < line.Length)
                {
                    builder.Append(line[++i]);
                }
                else if (c == '"')
                {
                    inString = false;
                }

                continue;
            }

            var literal = NonFiniteLiterals.FirstOrDefault(l => string.CompareOrdinal(line, i, l, 0, l.Length) == 0);
            if (literal is not null)
            {
                builder.Append('"').Append(literal).Append('"');
                i += literal.Length - 1;
                continue;
            }

            inString = c == '"';
            builder.Append(c);
        }

        return builder.ToString();
    }
}
