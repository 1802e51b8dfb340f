using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;

namespace LLMDistill.Teachers.Caching;

/// <summary>
/// The on-disk response cache: one JSON file per key under <c>&lt;root&gt;/&lt;teacher&gt;/&lt;k0k1&gt;/&lt;key&gt;.json</c>.
/// Writes are atomic (a temporary file in the same folder, then a rename), so a crash never leaves half an entry;
/// an entry that cannot be read, or whose stored key does not match its name, is ignored and later overwritten.
/// </summary>
internal sealed class TeacherResponseCache
{
    private const int FormatVersion = 1;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals, // logprobs may be -Infinity or NaN
    };

    private readonly string _directory;
    private readonly ILogger _logger;

    /// <summary>Creates the cache of one teacher.</summary>
    /// <param name="root">The cache root (<see cref="TeacherPoolOptions.CacheDirectory"/>).</param>
    /// <param name="teacher">The teacher name: its entries live in their own folder, so one teacher's cache can be deleted alone.</param>
    /// <param name="logger">Logs unreadable entries and failed writes.</param>
    public TeacherResponseCache(string root, string teacher, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        _directory = Path.GetFullPath(Path.Combine(root, SafeName(teacher)));
        _logger = logger;
    }

    /// <summary>The folder of this teacher's entries.</summary>
    public string Directory => _directory;

    /// <summary>Reads the entry of <paramref name="key"/>; null when absent or unreadable.</summary>
    /// <param name="key">A hex SHA-256 from <see cref="TeacherCacheKey"/>.</param>
    /// <param name="isValid">Extra checks of the value; a failing entry counts as corrupt.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async Task<T?> TryGetAsync<T>(string key, Func<T, bool> isValid, CancellationToken cancellationToken)
        where T : class
    {
        var path = PathOf(key);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 4096, useAsync: true);
            var entry = await JsonSerializer.DeserializeAsync<Entry<T>>(stream, Json, cancellationToken);
            if (entry is null || entry.Format != FormatVersion || entry.Key != key || entry.Value is null || !isValid(entry.Value))
            {
                TeacherLog.CacheEntryCorrupt(_logger, path, "unexpected content");
                return null;
            }

            return entry.Value;
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            TeacherLog.CacheEntryCorrupt(_logger, path, ex.GetType().Name);
            return null;
        }
        catch (IOException ex)
        {
            TeacherLog.CacheEntryCorrupt(_logger, path, ex.Message);
            return null;
        }
    }

    /// <summary>Writes the entry of <paramref name="key"/> atomically; a failed write is logged, never thrown (the answer is still good).</summary>
    public async Task StoreAsync<T>(string key, T value, CancellationToken cancellationToken)
        where T : class
    {
        var path = PathOf(key);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, useAsync: true))
            {
                await JsonSerializer.SerializeAsync(stream, new Entry<T>(FormatVersion, key, value), Json, cancellationToken);
                await stream.FlushAsync(cancellationToken);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            TryDelete(temporary);
            if (ex is OperationCanceledException)
            {
                throw;
            }

            TeacherLog.CacheWriteFailed(_logger, path, ex.Message);
        }
    }

    /// <summary>The file of <paramref name="key"/>.</summary>
    public string PathOf(string key)
    {
        if (key.Length < 8 || !key.All(char.IsAsciiHexDigitLower))
        {
            throw new ArgumentException($"not a cache key: '{key}'", nameof(key));
        }

        return Path.Combine(_directory, key[..2], key + ".json");
    }

    // Teacher names are config keys; keep the folder name portable.
    private static string SafeName(string teacher)
    {
        var invalid = Path.GetInvalidFileNameChars();
        var safe = new string(teacher.Select(c => invalid.Contains(c) || c is '.' or ' ' ? '_' : c).ToArray());
        return safe.Length == 0 ? "_" : safe;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // A leftover .tmp file is harmless: reads never look at it.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }

    private sealed record Entry<T>(int Format, string Key, T Value);
}
