using System.Buffers.Binary;
using System.Text.Json;

namespace LLMDistill.Checkpoints;

/// <summary>
/// Parses and validates a safetensors header: 8-byte little-endian length, then JSON
/// <c>{name: {dtype, shape, data_offsets}, "__metadata__": {string: string}}</c>. Every check runs before any tensor
/// memory is allocated, and errors name the file and the tensor.
/// </summary>
internal sealed record SafetensorsHeader(
    IReadOnlyList<SafetensorsTensorInfo> Tensors,
    IReadOnlyDictionary<string, string> Metadata,
    long DataStart)
{
    /// <summary>Largest header accepted (the reference implementation's limit): a hostile length cannot force a huge read.</summary>
    public const long MaxHeaderBytes = 100L * 1024 * 1024;

    public static SafetensorsHeader Read(Stream stream, long fileLength, string path)
    {
        if (fileLength < 8)
        {
            throw Error(path, $"file is {fileLength} bytes, too short for a safetensors header");
        }

        Span<byte> prefix = stackalloc byte[8];
        stream.Position = 0;
        stream.ReadExactly(prefix);
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength == 0 || headerLength > MaxHeaderBytes)
        {
            throw Error(path, $"header length {headerLength} is outside 1..{MaxHeaderBytes} bytes (corrupt or not a safetensors file)");
        }

        if ((long)headerLength > fileLength - 8)
        {
            throw Error(path, $"header length {headerLength} exceeds the {fileLength - 8} bytes after the length prefix (truncated file?)");
        }

        var json = new byte[headerLength];
        stream.ReadExactly(json);
        var dataStart = 8 + (long)headerLength;
        return Parse(json, fileLength - dataStart, path) with { DataStart = dataStart };
    }

    private static SafetensorsHeader Parse(byte[] json, long dataLength, string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException ex)
        {
            throw Error(path, $"header is not valid JSON ({ex.Message})", ex);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Error(path, "header is not a JSON object");
            }

            var tensors = new List<SafetensorsTensorInfo>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                {
                    throw Error(path, $"tensor '{property.Name}' appears twice in the header");
                }

                if (property.Name == "__metadata__")
                {
                    ReadMetadata(property.Value, metadata, path);
                    continue;
                }

                tensors.Add(ReadTensor(property.Name, property.Value, dataLength, path));
            }

            CheckLayout(tensors, dataLength, path);
            return new SafetensorsHeader(tensors, metadata, 0);
        }
    }

    private static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata, string path)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Error(path, "__metadata__ must be an object of strings");
        }

        foreach (var entry in value.EnumerateObject())
        {
            metadata[entry.Name] = entry.Value.ValueKind == JsonValueKind.String
                ? entry.Value.GetString()!
                : throw Error(path, $"__metadata__ value '{entry.Name}' must be a string");
        }
    }

    private static SafetensorsTensorInfo ReadTensor(string name, JsonElement value, long dataLength, string path)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Error(path, $"tensor '{name}': entry must be an object with dtype, shape and data_offsets");
        }

        var dtype = value.TryGetProperty("dtype", out var d) && d.ValueKind == JsonValueKind.String
            ? d.GetString()!
            : throw Error(path, $"tensor '{name}': missing or non-string dtype");
        if (!SafetensorsDtype.TryGetSize(dtype, out var elementSize))
        {
            throw Error(path, $"tensor '{name}': unknown dtype '{dtype}' (known: {SafetensorsDtype.KnownNames})");
        }

        var shape = ReadIntArray(value, "shape", name, path);
        var offsets = ReadIntArray(value, "data_offsets", name, path);
        if (offsets.Length != 2)
        {
            throw Error(path, $"tensor '{name}': data_offsets must be [begin, end] (got {offsets.Length} values)");
        }

        var (begin, end) = (offsets[0], offsets[1]);
        if (begin > end || end > dataLength)
        {
            throw Error(path, $"tensor '{name}': data_offsets [{begin}, {end}] are outside the {dataLength}-byte data section (truncated file?)");
        }

        long expected;
        try
        {
            expected = checked(shape.Aggregate(1L, (a, b) => checked(a * b)) * elementSize);
        }
        catch (OverflowException)
        {
            throw Error(path, $"tensor '{name}': shape [{string.Join(", ", shape)}] is too large");
        }

        if (expected != end - begin)
        {
            throw Error(path, $"tensor '{name}': shape [{string.Join(", ", shape)}] x {dtype} needs {expected} bytes but data_offsets [{begin}, {end}] span {end - begin}");
        }

        return new SafetensorsTensorInfo(name, dtype, shape, begin, end);
    }

    private static long[] ReadIntArray(JsonElement value, string field, string name, string path)
    {
        if (!value.TryGetProperty(field, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            throw Error(path, $"tensor '{name}': missing or non-array {field}");
        }

        var result = new long[array.GetArrayLength()];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var v) || v < 0)
            {
                throw Error(path, $"tensor '{name}': {field} must hold non-negative integers (got {item.GetRawText()})");
            }

            result[i++] = v;
        }

        return result;
    }

    private static void CheckLayout(List<SafetensorsTensorInfo> tensors, long dataLength, string path)
    {
        // Like the reference implementation: tensors tile the data section exactly, without overlaps or gaps.
        var ordered = tensors.OrderBy(t => t.Begin).ThenBy(t => t.End).ToList();
        long cursor = 0;
        SafetensorsTensorInfo? previous = null;
        foreach (var t in ordered)
        {
            if (t.Begin < cursor)
            {
                throw Error(path, $"tensor '{t.Name}' (data_offsets [{t.Begin}, {t.End}]) overlaps tensor '{previous!.Name}' (data_offsets [{previous.Begin}, {previous.End}])");
            }

            if (t.Begin > cursor)
            {
                throw Error(path, $"tensor '{t.Name}' starts at byte {t.Begin} but the previous tensor ends at {cursor}: a gap the format does not allow");
            }

            cursor = t.End;
            previous = t;
        }

        if (cursor != dataLength)
        {
            throw Error(path, $"the tensors cover {cursor} bytes but the data section has {dataLength} (truncated or trailing data)");
        }
    }

    private static InvalidDataException Error(string path, string message, Exception? inner = null) =>
        new($"safetensors file '{path}': {message}", inner);
}
