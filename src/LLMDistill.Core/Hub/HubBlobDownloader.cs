using System.Buffers;
using System.Net;
using Microsoft.Extensions.Logging;

namespace LLMDistill.Hub;

/// <summary>
/// Downloads one blob into <c>blobs/&lt;etag&gt;.incomplete</c>, resuming with <c>Range</c> after a dropped connection,
/// a stall or an earlier interrupted run; verifies size and checksum; and only then renames it to <c>blobs/&lt;etag&gt;</c>.
/// A blob that fails verification is deleted.
/// </summary>
internal sealed class HubBlobDownloader(HubHttpClient http, HubCache cache, HubOptions options, TimeProvider timeProvider, HubProgressTracker tracker, ILogger logger)
{
    private const int BufferSize = 1 << 16;

    /// <summary>Downloads and verifies <paramref name="file"/> of <paramref name="commit"/>.</summary>
    /// <exception cref="HubException">The download failed after all retries, or the content does not match the Hub's checksum.</exception>
    public async Task DownloadAsync(HubRepoId repoId, string commit, HubRepoFile file, CancellationToken cancellationToken)
    {
        var context = new HubRequestContext(repoId, commit, file.Path);
        var incomplete = cache.IncompletePath(file.BlobName);
        Directory.CreateDirectory(Path.GetDirectoryName(incomplete)!);
        string actual;
        var stream = OpenExclusive(incomplete, context);
        try
        {
            await using (stream)
            {
                using var hasher = new HubBlobHasher(file);
                var uri = HubEndpoint.Combine(http.Endpoint, $"{repoId.Value}/resolve/{commit}/{string.Join('/', file.Path.Split('/').Select(Uri.EscapeDataString))}");
                if (logger.IsEnabled(LogLevel.Debug))
                {
                    var url = HubEndpoint.Redact(uri);
                    HubLog.Downloading(logger, file.Path, file.Size, url);
                }

                await http.ExecuteAsync(
                    async token =>
                    {
                        await AttemptAsync(uri, file, stream, hasher, context, token);
                        return true;
                    },
                    context,
                    cancellationToken);
                await stream.FlushAsync(cancellationToken);
                actual = hasher.Finish();
            }
        }
        catch (HubException ex) when (ex.Category == HubErrorCategory.ChecksumMismatch)
        {
            File.Delete(incomplete);
            throw;
        }

        if (actual != file.BlobName)
        {
            HubLog.ChecksumMismatch(logger, file.Path, file.BlobName, actual);
            File.Delete(incomplete);
            throw new HubException(HubErrorCategory.ChecksumMismatch,
                $"{context.Describe()}: the content does not match the Hub's checksum ({(file.IsLfs ? "sha256" : "git blob id")} {actual}, expected {file.BlobName}); "
                + $"the corrupted download was deleted; run the command again, and if it repeats the server at {HubEndpoint.Display(http.Endpoint)} serves bad data");
        }

        File.Move(incomplete, cache.BlobPath(file.BlobName), overwrite: true);
    }

    private async Task AttemptAsync(Uri uri, HubRepoFile file, FileStream stream, HubBlobHasher hasher, HubRequestContext context, CancellationToken cancellationToken)
    {
        var offset = stream.Length;
        if (offset > file.Size)
        {
            offset = Restart(stream, hasher, file);
        }

        if (hasher.Position != offset)
        {
            await hasher.CatchUpAsync(stream, offset, cancellationToken);
        }

        if (offset > 0 && offset < file.Size)
        {
            HubLog.Resuming(logger, file.Path, offset, file.Size);
        }

        tracker.SetFileBytes(file, offset);
        if (offset == file.Size)
        {
            return; // an earlier run received everything but was stopped before verification
        }

        using var response = await http.GetAsync(uri, offset, cancellationToken);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            Restart(stream, hasher, file);
            throw new HubTransientException($"the server cannot resume '{file.Path}' at byte {offset}", (int)response.StatusCode);
        }

        if (!response.IsSuccessStatusCode)
        {
            throw HubErrors.FromResponse(response, context, http.Endpoint, http.HasToken);
        }

        if (response.StatusCode == HttpStatusCode.PartialContent)
        {
            if (response.Content.Headers.ContentRange is not { From: { } from } || from != offset)
            {
                Restart(stream, hasher, file);
                throw new HubTransientException($"the server resumed '{file.Path}' at the wrong offset (asked for byte {offset})");
            }
        }
        else if (offset > 0)
        {
            HubLog.RangeIgnored(logger, file.Path);
            offset = Restart(stream, hasher, file);
        }

        stream.Position = offset;
        await CopyBodyAsync(response, file, stream, hasher, cancellationToken);
        if (stream.Length < file.Size)
        {
            await stream.FlushAsync(cancellationToken); // keep what arrived: the retry resumes after it
            throw new HubTransientException($"the download of '{file.Path}' stopped at byte {stream.Length} of {file.Size}");
        }
    }

    /// <summary>Copies the body to disk, hashing as it goes; a read that waits longer than <see cref="HubOptions.ReadTimeout"/> fails the attempt.</summary>
    private async Task CopyBodyAsync(HttpResponseMessage response, HubRepoFile file, FileStream stream, HubBlobHasher hasher, CancellationToken cancellationToken)
    {
        using var idle = new CancellationTokenSource(options.ReadTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, idle.Token);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(linked.Token);
            while (true)
            {
                idle.CancelAfter(options.ReadTimeout);
                int read;
                try
                {
                    read = await body.ReadAsync(buffer.AsMemory(0, BufferSize), linked.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    await stream.FlushAsync(cancellationToken);
                    throw new TimeoutException($"no data for {options.ReadTimeout.TotalSeconds:0.###} s while downloading '{file.Path}' (stopped at byte {stream.Position} of {file.Size})");
                }

                if (read == 0)
                {
                    return;
                }

                if (stream.Position + read > file.Size)
                {
                    Restart(stream, hasher, file);
                    throw new HubException(HubErrorCategory.ChecksumMismatch,
                        $"downloading '{file.Path}': the server sent more than the {file.Size} bytes the Hub lists; the download was deleted");
                }

                await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                hasher.Append(buffer.AsSpan(0, read));
                tracker.Add(file, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private long Restart(FileStream stream, HubBlobHasher hasher, HubRepoFile file)
    {
        stream.SetLength(0);
        hasher.Reset();
        tracker.SetFileBytes(file, 0);
        return 0;
    }

    private static FileStream OpenExclusive(string path, HubRequestContext context)
    {
        try
        {
            // FileShare.None takes an advisory lock: a second process pulling the same blob fails here instead of interleaving writes;
            // no buffering: reads arrive in 64 KiB chunks already, and every received byte is on disk for a resume
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0, FileOptions.Asynchronous);
        }
        catch (IOException ex)
        {
            throw new HubException(HubErrorCategory.Cache, $"{context.Describe()}: cannot open '{path}' ({ex.Message}); is another download of the same model running?", innerException: ex);
        }
    }
}
