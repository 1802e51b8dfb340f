using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using static TorchSharp.torch;

namespace LLMDistill.Checkpoints;

/// <summary>Writes safetensors files (the layout <c>safetensors.torch.save_file</c> produces: readable by transformers).</summary>
public static class SafetensorsWriter
{
    private const int ChunkBytes = 64 * 1024 * 1024;

    /// <summary>
    /// Writes <paramref name="tensors"/> to <paramref name="path"/> through a temporary file that replaces the target only
    /// when complete, so a crash never leaves a half-written checkpoint. Tensors are copied to the CPU one at a time.
    /// </summary>
    /// <param name="path">Destination file.</param>
    /// <param name="tensors">Name and tensor pairs, written in this order; names must be unique.</param>
    /// <param name="metadata">Optional <c>__metadata__</c> strings (transformers expects <c>format = pt</c>).</param>
    /// <exception cref="ArgumentException">A name is empty, reserved or repeated.</exception>
    /// <exception cref="NotSupportedException">A tensor's dtype has no safetensors name.</exception>
    public static void Write(string path, IReadOnlyList<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);
        var header = BuildHeader(tensors, metadata);
        var temp = path + ".tmp";
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 20))
            {
                Span<byte> prefix = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
                stream.Write(prefix);
                stream.Write(header);
                foreach (var (_, tensor) in tensors)
                {
                    WriteData(stream, tensor);
                }
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>The byte size of a tensor's data in a safetensors file.</summary>
    public static long ByteCount(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return tensor.NumberOfElements * tensor.ElementSize;
    }

    private static byte[] BuildHeader(IReadOnlyList<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject("__metadata__");
                foreach (var (key, value) in metadata)
                {
                    json.WriteString(key, value);
                }

                json.WriteEndObject();
            }

            long offset = 0;
            foreach (var (name, tensor) in tensors)
            {
                if (string.IsNullOrEmpty(name) || name == "__metadata__" || !names.Add(name))
                {
                    throw new ArgumentException($"tensor name '{name}' is empty, reserved or repeated", nameof(tensors));
                }

                var size = ByteCount(tensor);
                json.WriteStartObject(name);
                json.WriteString("dtype", SafetensorsDtype.FromScalarType(tensor.dtype));
                json.WriteStartArray("shape");
                foreach (var dim in tensor.shape)
                {
                    json.WriteNumberValue(dim);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + size);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += size;
            }

            json.WriteEndObject();
        }

        // Pad with spaces to a multiple of 8 so the data section is aligned, as the reference writer does.
        var length = buffer.Length;
        var padded = (length + 7) / 8 * 8;
        var bytes = new byte[padded];
        buffer.ToArray().CopyTo(bytes, 0);
        Encoding.ASCII.GetBytes(new string(' ', (int)(padded - length))).CopyTo(bytes, length);
        return bytes;
    }

    private static void WriteData(Stream stream, Tensor tensor)
    {
        if (tensor.NumberOfElements == 0)
        {
            return;
        }

        using var scope = NewDisposeScope();
        var cpu = tensor.detach().to(CPU).contiguous().view(-1);
        var elementsPerChunk = Math.Max(1, ChunkBytes / tensor.ElementSize);
        for (long start = 0; start < cpu.NumberOfElements; start += elementsPerChunk)
        {
            using var chunk = cpu.narrow(0, start, Math.Min(elementsPerChunk, cpu.NumberOfElements - start));
            stream.Write(chunk.bytes);
        }
    }
}
