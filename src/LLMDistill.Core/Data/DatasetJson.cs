using System.Text.Json;
using System.Text.Json.Serialization;
using LLMDistill.Teachers;

namespace LLMDistill.Data;

/// <summary>
/// The JSON shape of dataset files: camelCase names, enums as lower-case strings, nulls omitted, one object per line.
/// Source-generated so reading and writing 100k+ rows needs no reflection.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(LowerCaseEnumConverter<TeacherMode>)])]
[JsonSerializable(typeof(DistillationSample))]
[JsonSerializable(typeof(RejectedSample))]
[JsonSerializable(typeof(DatasetManifest))]
[JsonSerializable(typeof(JsonElement))]
public sealed partial class DatasetJson : JsonSerializerContext
{
    /// <summary>Writes <paramref name="value"/> as indented JSON to <paramref name="path"/> atomically (temp file + rename).</summary>
    internal static void WriteIndentedAtomically<T>(string path, T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
    {
        var tmp = path + ".tmp";
        using (var stream = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            JsonSerializer.Serialize(writer, value, typeInfo);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }

        File.Move(tmp, path, overwrite: true);
    }
}
