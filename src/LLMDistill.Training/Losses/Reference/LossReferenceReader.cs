using System.Text.Json;

namespace LLMDistill.Losses.Reference;

/// <summary>
/// Reads loss reference cases. Malformed input fails with an <see cref="InvalidDataException"/> whose message
/// names the file, the case index and the field, e.g. <c>cases.json: case 1: 'teacher'[0][2]: expected 11 numbers, got 10</c>.
/// </summary>
internal static class LossReferenceReader
{
    private static readonly string[] ExpectedNames = ["forward_kl", "reverse_kl", "jsd", "topk_kl", "ce", "hinton"];

    public static async Task<IReadOnlyList<LossReferenceCase>> LoadAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"cases file '{path}' not found", path);
        }

        return Parse(await File.ReadAllTextAsync(path, cancellationToken), path);
    }

    /// <param name="json">The file's text.</param>
    /// <param name="source">The file name used in error messages.</param>
    public static IReadOnlyList<LossReferenceCase> Parse(string json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{source}: invalid JSON at line {ex.LineNumber + 1}: {ex.Message}", ex);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException($"{source}: expected a JSON array of cases, got {document.RootElement.ValueKind}");
            }

            return document.RootElement.EnumerateArray().Select((element, i) => ParseCase(element, i, $"{source}: case {i}")).ToList();
        }
    }

    private static LossReferenceCase ParseCase(JsonElement element, int index, string where)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{where}: expected an object, got {element.ValueKind}");
        }

        var (student, shape) = Numbers(Field(element, "student", where), 3, null, $"{where}: 'student'");
        if (shape.Any(d => d == 0))
        {
            throw new InvalidDataException($"{where}: 'student' has an empty dimension (shape [{string.Join(", ", shape)}])");
        }

        var (teacher, _) = Numbers(Field(element, "teacher", where), 3, shape, $"{where}: 'teacher'");
        var (mask, _) = Numbers(Field(element, "mask", where), 2, shape[..2], $"{where}: 'mask'");
        var (labelValues, _) = Numbers(Field(element, "labels", where), 2, shape[..2], $"{where}: 'labels'");
        var vocab = shape[2];
        var labels = labelValues.Select((v, i) => Label(v, vocab, $"{where}: 'labels'", i, shape[1])).ToList();

        var tau = Scalar(element, "tau", where, v => v > 0, "a number > 0");
        var beta = Scalar(element, "beta", where, v => v is >= 0 and <= 1, "a number in [0, 1]");
        var k = Scalar(element, "k", where, v => v == Math.Floor(v) && v >= 1 && v <= vocab, $"an integer in [1, {vocab}]");
        var alpha = Scalar(element, "alpha", where, v => v is >= 0 and <= 1, "a number in [0, 1]");
        var expected = element.TryGetProperty("expected", out var e) && e.ValueKind != JsonValueKind.Null ? Expected(e, $"{where}: 'expected'") : null;
        return new LossReferenceCase(index, shape[0], shape[1], vocab, student, teacher, mask, labels, tau, beta, (int)k, alpha, expected);
    }

    private static JsonElement Field(JsonElement element, string name, string where)
        => element.TryGetProperty(name, out var value) ? value : throw new InvalidDataException($"{where}: missing '{name}'");

    private static double Scalar(JsonElement element, string name, string where, Func<double, bool> valid, string expected)
    {
        var value = Field(element, name, where);
        if (value.ValueKind != JsonValueKind.Number || !valid(value.GetDouble()))
        {
            throw new InvalidDataException($"{where}: '{name}' must be {expected}, got {value.GetRawText()}");
        }

        return value.GetDouble();
    }

    private static long Label(double value, int vocab, string where, int flatIndex, int time)
    {
        if (value != Math.Floor(value) || !((value >= 0 && value < vocab) || value == DistillationLosses.IgnoreIndex))
        {
            throw new InvalidDataException($"{where}[{flatIndex / time}][{flatIndex % time}]: expected a token id in [0, {vocab}) or -100, got {value}");
        }

        return (long)value;
    }

    private static LossReferenceValues Expected(JsonElement element, string where)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{where}: expected an object, got {element.ValueKind}");
        }

        var v = ExpectedNames.Select(name => Scalar(element, name, where, double.IsFinite, "a finite number")).ToArray();
        return new LossReferenceValues(v[0], v[1], v[2], v[3], v[4], v[5]);
    }

    /// <summary>A rectangular nested array of numbers of the given rank, flattened; checks the shape when given.</summary>
    private static (List<double> Values, int[] Shape) Numbers(JsonElement element, int rank, int[]? expectedShape, string where)
    {
        var shape = new int[rank];
        var seen = new bool[rank];     // the first array met at a level fixes its length
        var values = new List<double>();
        Walk(element, 0, shape, seen, values, where);
        if (expectedShape is not null && !shape.SequenceEqual(expectedShape))
        {
            throw new InvalidDataException($"{where}: shape [{string.Join(", ", shape)}] differs from the student's [{string.Join(", ", expectedShape)}]");
        }

        return (values, shape);
    }

    private static void Walk(JsonElement element, int depth, int[] shape, bool[] seen, List<double> values, string where)
    {
        if (depth == shape.Length)
        {
            if (element.ValueKind != JsonValueKind.Number || !double.IsFinite(element.GetDouble()))
            {
                throw new InvalidDataException($"{where}: expected a finite number, got {Truncate(element.GetRawText())}");
            }

            values.Add(element.GetDouble());
            return;
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"{where}: expected an array ({shape.Length - depth} levels of nesting), got {Truncate(element.GetRawText())}");
        }

        var length = element.GetArrayLength();
        if (!seen[depth])
        {
            (shape[depth], seen[depth]) = (length, true);
        }
        else if (length != shape[depth])
        {
            throw new InvalidDataException($"{where}: ragged array, expected {shape[depth]} items, got {length}");
        }

        var i = 0;
        foreach (var item in element.EnumerateArray())
        {
            Walk(item, depth + 1, shape, seen, values, $"{where}[{i++}]");
        }
    }

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
