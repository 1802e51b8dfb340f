using static TorchSharp.torch;

namespace LLMDistill.Checkpoints;

/// <summary>
/// Reads a safetensors file: the header is validated on open (see <see cref="SafetensorsHeader"/>), then tensors are
/// read one at a time straight into tensor memory, so loading never holds more than the tensor being read.
/// </summary>
public sealed class SafetensorsReader : IDisposable
{
    private const int ChunkBytes = 64 * 1024 * 1024;
    private readonly FileStream _stream;
    private readonly SafetensorsHeader _header;
    private readonly Dictionary<string, SafetensorsTensorInfo> _byName;

    private SafetensorsReader(string path, FileStream stream, SafetensorsHeader header)
    {
        Path = path;
        _stream = stream;
        _header = header;
        _byName = header.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    /// <summary>The file being read.</summary>
    public string Path { get; }

    /// <summary>The tensors of the header, in header order.</summary>
    public IReadOnlyList<SafetensorsTensorInfo> Tensors => _header.Tensors;

    /// <summary>The <c>__metadata__</c> strings (empty when absent).</summary>
    public IReadOnlyDictionary<string, string> Metadata => _header.Metadata;

    /// <summary>Opens a file and validates its header.</summary>
    /// <param name="path">The .safetensors file.</param>
    /// <returns>A reader the caller disposes.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The header is truncated, corrupt or inconsistent with the file; the message names the file and tensor.</exception>
    public static SafetensorsReader Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("safetensors data is little-endian; big-endian hosts are not supported");
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"safetensors file '{path}' does not exist", path);
        }

        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        try
        {
            var header = SafetensorsHeader.Read(stream, stream.Length, path);
            return new SafetensorsReader(path, stream, header);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Whether the file holds a tensor of that name.</summary>
    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>The header entry of a tensor.</summary>
    /// <exception cref="KeyNotFoundException">No such tensor; the message names it and the file.</exception>
    public SafetensorsTensorInfo GetInfo(string name) =>
        _byName.TryGetValue(name, out var info) ? info : throw new KeyNotFoundException($"safetensors file '{Path}' has no tensor '{name}'");

    /// <summary>Reads a tensor into a new CPU tensor of its stored dtype.</summary>
    /// <param name="name">Tensor name.</param>
    /// <returns>A tensor the caller owns (it joins the current dispose scope, if any).</returns>
    /// <exception cref="KeyNotFoundException">No such tensor.</exception>
    /// <exception cref="NotSupportedException">The dtype exists in the format but not in TorchSharp (e.g. F8_E4M3).</exception>
    public Tensor Read(string name)
    {
        var info = GetInfo(name);
        var type = SafetensorsDtype.ToScalarType(info.Dtype)
            ?? throw new NotSupportedException($"safetensors file '{Path}': tensor '{name}' has dtype {info.Dtype}, which TorchSharp cannot represent");
        var result = empty(info.Shape.ToArray(), type, CPU);
        try
        {
            if (info.ByteCount > 0)
            {
                ReadInto(result, info);
            }

            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    /// <summary>Reads a tensor into <paramref name="destination"/> (any device and dtype; converted by <c>copy_</c>).</summary>
    /// <param name="name">Tensor name.</param>
    /// <param name="destination">A tensor of the same shape, e.g. a model parameter (use under <c>no_grad</c>).</param>
    /// <exception cref="InvalidDataException">The shapes differ; the message names the tensor, the file and both shapes.</exception>
    public void CopyTo(string name, Tensor destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var info = GetInfo(name);
        if (!info.Shape.SequenceEqual(destination.shape))
        {
            throw new InvalidDataException($"safetensors file '{Path}': tensor '{name}' has shape [{string.Join(", ", info.Shape)}] but [{string.Join(", ", destination.shape)}] is expected");
        }

        using var source = Read(name);
        destination.copy_(source);
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _stream.Dispose();

    private void ReadInto(Tensor target, SafetensorsTensorInfo info)
    {
        using var flat = target.view(-1);
        var elementSize = info.ByteCount / info.ElementCount;
        var elementsPerChunk = Math.Max(1, ChunkBytes / elementSize);
        _stream.Position = _header.DataStart + info.Begin;
        for (long start = 0; start < info.ElementCount; start += elementsPerChunk)
        {
            var count = Math.Min(elementsPerChunk, info.ElementCount - start);
            using var chunk = flat.narrow(0, start, count);
            var span = chunk.bytes;
            if (_stream.ReadAtLeast(span, span.Length, throwOnEndOfStream: false) != span.Length)
            {
                throw new InvalidDataException($"safetensors file '{Path}': tensor '{info.Name}' ends early (file changed while reading?)");
            }
        }
    }
}
