using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace LLMDistill.Data;

/// <summary>
/// Appends JSON lines to one file. Each record is serialised to a buffer and written with its newline in one call,
/// and <see cref="FlushAsync"/> fsyncs, so after a crash the file ends at a complete line or a torn tail that
/// <see cref="JsonlFile.RepairTornTail"/> removes.
/// </summary>
internal sealed class JsonlAppender : IAsyncDisposable
{
    private readonly FileStream _stream;
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly Utf8JsonWriter _json;

    public JsonlAppender(string path)
    {
        Path = path;
        if (File.Exists(path))
        {
            JsonlFile.RepairTornTail(path);
        }

        _stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 1 << 16);
        _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    public string Path { get; }

    /// <summary>Records appended since the last flush.</summary>
    public int Pending { get; private set; }

    public async ValueTask AppendAsync<T>(T value, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        _buffer.ResetWrittenCount();
        _json.Reset();
        JsonSerializer.Serialize(_json, value, typeInfo);
        _json.Flush();
        _buffer.GetSpan(1)[0] = (byte)'\n';
        _buffer.Advance(1);
        await _stream.WriteAsync(_buffer.WrittenMemory, cancellationToken);
        Pending++;
    }

    /// <summary>Writes buffered lines and forces them to disk.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        await _stream.FlushAsync(cancellationToken);
        _stream.Flush(flushToDisk: true);
        Pending = 0;
    }

    public async ValueTask DisposeAsync()
    {
        // Flush without a token: what was appended must reach the disk even when the run is being cancelled.
        await _stream.FlushAsync(CancellationToken.None);
        _stream.Flush(flushToDisk: true);
        await _json.DisposeAsync();
        await _stream.DisposeAsync();
    }
}
