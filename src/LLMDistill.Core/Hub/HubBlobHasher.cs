using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace LLMDistill.Hub;

/// <summary>
/// Hashes a blob as it downloads, so verification needs no second pass: SHA-256 for LFS files (the Hub lists it as
/// <c>lfs.sha256</c>; it is also their ETag) and the git blob id for the others (SHA-1 of <c>"blob {size}\0" + content</c>).
/// </summary>
internal sealed class HubBlobHasher : IDisposable
{
    private readonly HubRepoFile _file;
    private IncrementalHash _hash;

    public HubBlobHasher(HubRepoFile file)
    {
        _file = file;
        _hash = Create();
    }

    /// <summary>How many bytes from the start of the file have been hashed.</summary>
    public long Position { get; private set; }

    /// <summary>Starts over (the partial download was discarded).</summary>
    public void Reset()
    {
        _hash.Dispose();
        _hash = Create();
        Position = 0;
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        _hash.AppendData(data);
        Position += data.Length;
    }

    /// <summary>Hashes the first <paramref name="length"/> bytes already on disk (a download resumed from an earlier run).</summary>
    public async Task CatchUpAsync(FileStream stream, long length, CancellationToken cancellationToken)
    {
        Reset();
        stream.Position = 0;
        var buffer = new byte[1 << 16];
        while (Position < length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length - Position)), cancellationToken);
            if (read == 0)
            {
                throw new IOException($"'{stream.Name}' is shorter than {length} bytes");
            }

            Append(buffer.AsSpan(0, read));
        }
    }

    /// <summary>The lowercase hex digest of everything appended.</summary>
    public string Finish() => Convert.ToHexStringLower(_hash.GetHashAndReset());

    public void Dispose() => _hash.Dispose();

    private IncrementalHash Create()
    {
        if (_file.IsLfs)
        {
            return IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        }

#pragma warning disable CA5350 // SHA-1 here is git's object id, an integrity check the Hub lists, not a security boundary
        var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
#pragma warning restore CA5350
        hash.AppendData(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"blob {_file.Size}\0")));
        return hash;
    }
}
