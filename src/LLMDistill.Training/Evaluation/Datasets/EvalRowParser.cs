using System.Text.Json;
using LLMDistill.Teachers;

namespace LLMDistill.Evaluation.Datasets;

/// <summary>
/// Reads one row of a JSONL file into an <see cref="EvalSample"/> (dataset directories are read through
/// <c>DatasetDirectory</c>). Accepted shapes: a dataset row of <c>generate</c> (<c>id</c>, <c>mode</c>,
/// <c>instruction</c>, <c>input</c>, <c>response</c>, <c>provenance.teacher</c>, <c>scores.combined</c>), an Alpaca row (<c>instruction</c>, <c>input</c>, <c>output</c>), or a completion row
/// (<c>prompt</c>, <c>completion</c>). The reference may be absent. Unknown keys are ignored.
/// </summary>
internal static class EvalRowParser
{
    public const string Shapes = "{\"instruction\", \"input\"?, \"response\"|\"output\"?} or {\"prompt\", \"completion\"?}";

    /// <summary>One parsed row: the sample, its teaching-value score and the teacher that answered, where present.</summary>
    public readonly record struct Row(EvalSample Sample, double? Score, string? Teacher);

    /// <summary>Parses a row; the message of a failure is <c>file:line: reason</c>.</summary>
    public static Row Parse(string line, string file, int lineNumber)
    {
        var source = $"{file}:{lineNumber}";
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{source}: expected a JSON object, got {root.ValueKind}");
            }

            var id = String(root, "id", source) ?? source;
            string instruction;
            string? input = null, reference;
            TeacherMode mode;
            if (String(root, "instruction", source) is { } task)
            {
                instruction = task;
                input = String(root, "input", source);
                reference = String(root, "response", source) ?? String(root, "output", source);
                mode = Mode(root, source);
            }
            else if (String(root, "prompt", source) is { } prompt)
            {
                instruction = prompt;
                reference = String(root, "completion", source) ?? String(root, "response", source);
                mode = TeacherMode.Completion;
            }
            else
            {
                throw new InvalidDataException($"{source}: no \"instruction\" or \"prompt\" string (accepted rows: {Shapes})");
            }

            if (string.IsNullOrWhiteSpace(instruction))
            {
                throw new InvalidDataException($"{source}: the instruction/prompt is empty");
            }

            double? score = root.TryGetProperty("scores", out var scores) && scores.ValueKind == JsonValueKind.Object
                && scores.TryGetProperty("combined", out var combined) && combined.ValueKind == JsonValueKind.Number
                ? combined.GetDouble() : null;
            var teacher = root.TryGetProperty("provenance", out var provenance) && provenance.ValueKind == JsonValueKind.Object
                ? String(provenance, "teacher", source) : null;
            return new Row(new EvalSample(id, mode, instruction, input, reference, source), score, teacher);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{source}: not valid JSON ({ex.Message})", ex);
        }
    }

    private static string? String(JsonElement element, string name, string source)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new InvalidDataException($"{source}: \"{name}\" must be a string (got {value.ValueKind})");
    }

    private static TeacherMode Mode(JsonElement root, string source) => String(root, "mode", source)?.ToLowerInvariant() switch
    {
        null or "chat" => TeacherMode.Chat,
        "completion" => TeacherMode.Completion,
        var other => throw new InvalidDataException($"{source}: \"mode\" must be \"chat\" or \"completion\" (got \"{other}\")"),
    };
}
