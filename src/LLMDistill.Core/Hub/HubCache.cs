using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace LLMDistill.Hub;

/// <summary>
/// One repository's folder in the cache, in the layout of <c>huggingface_hub</c> so Python tools share it:
/// <c>models--org--name/blobs/&lt;etag&gt;</c> (content, named by SHA-256 for LFS files and git blob id otherwise),
/// <c>snapshots/&lt;commit&gt;/&lt;path&gt;</c> (relative symlinks to the blobs, or copies where symlinks are unavailable),
/// <c>refs/&lt;revision&gt;</c> (the commit a branch or tag pointed to). LLMDistill adds
/// <c>.llmdistill/revisions/&lt;commit&gt;.json</c>, the commit's file list, which Python's cache scan ignores; it lets a
/// cached commit be checked for completeness without a network call.
/// </summary>
internal sealed class HubCache
{
    private const int ManifestVersion = 1;
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };
    private readonly ILogger _logger;
    private bool _useSymlinks;

    public HubCache(string cacheRoot, HubRepoId repoId, bool useSymlinks, ILogger logger)
    {
        RepoDir = Path.GetFullPath(Path.Combine(cacheRoot, repoId.CacheFolderName));
        _useSymlinks = useSymlinks;
        _logger = logger;
    }

    /// <summary><c>{cache}/models--org--name</c>.</summary>
    public string RepoDir { get; }

    private string BlobsDir => Path.Combine(RepoDir, "blobs");

    /// <summary>The snapshot folder of a commit: a model directory once complete.</summary>
    public string SnapshotDir(string commit) => Path.Combine(RepoDir, "snapshots", commit);

    /// <summary>The verified blob's path.</summary>
    public string BlobPath(string blobName) => Path.Combine(BlobsDir, blobName);

    /// <summary>Where a blob is written while it downloads (the name <c>huggingface_hub</c> uses, so either tool can resume it).</summary>
    public string IncompletePath(string blobName) => BlobPath(blobName) + ".incomplete";

    /// <summary>The commit <c>refs/&lt;revision&gt;</c> records, or null when there is none.</summary>
    public string? ReadRef(string revision)
    {
        var path = RefPath(revision);
        return File.Exists(path) && File.ReadAllText(path).Trim() is var commit && HubRevision.IsCommitHash(commit) ? commit : null;
    }

    /// <summary>Records that <paramref name="revision"/> points to <paramref name="commit"/> (no trailing newline, like Python).</summary>
    public void WriteRef(string revision, string commit) => WriteAtomically(RefPath(revision), commit);

    /// <summary>The file list stored for a commit, or null when there is none or it is unreadable (it is then fetched again).</summary>
    public HubRevisionInfo? ReadManifest(string commit)
    {
        var path = ManifestPath(commit);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            var manifest = JsonSerializer.Deserialize<Manifest>(File.ReadAllText(path), JsonOptions);
            return manifest is { Version: ManifestVersion, Files: not null } && manifest.Commit == commit
                && manifest.Files.All(f => IsSafeRelativePath(f.Path))
                ? new HubRevisionInfo(manifest.RepoId, manifest.Commit, manifest.Files)
                : null;
        }
        catch (JsonException)
        {
            return null; // a damaged cache note only costs one API call
        }
    }

    /// <summary>Stores a commit's file list (immutable for the commit).</summary>
    public void WriteManifest(HubRevisionInfo info)
        => WriteAtomically(ManifestPath(info.CommitSha), JsonSerializer.Serialize(new Manifest(ManifestVersion, info.RepoId, info.CommitSha, info.Files), JsonOptions));

    /// <summary>True when the snapshot holds <paramref name="file"/> with the listed size (symlinks followed).</summary>
    public bool HasSnapshotFile(string commit, HubRepoFile file) => FileLength(SnapshotPath(commit, file.Path)) == file.Size;

    /// <summary>The blob's length, or null when it is missing.</summary>
    public long? BlobLength(string blobName) => FileLength(BlobPath(blobName));

    /// <summary>The files present in a snapshot folder, relative and '/'-separated (for caches filled by other tools).</summary>
    public IReadOnlyList<string> ListSnapshot(string commit)
    {
        var dir = SnapshotDir(commit);
        return Directory.Exists(dir)
            ? Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
                .Where(f => FileLength(f) is not null)
                .Select(f => Path.GetRelativePath(dir, f).Replace('\\', '/'))
                .Order(StringComparer.Ordinal).ToArray()
            : [];
    }

    /// <summary>Puts the verified blob of <paramref name="file"/> into the commit's snapshot: a relative symlink, or a copy.</summary>
    public void Link(string commit, HubRepoFile file)
    {
        var target = SnapshotPath(commit, file.Path);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var blob = BlobPath(file.BlobName);
        var temp = $"{target}.{Guid.NewGuid():N}.tmp";
        if (_useSymlinks)
        {
            try
            {
                File.CreateSymbolicLink(temp, Path.GetRelativePath(Path.GetDirectoryName(target)!, blob));
                File.Move(temp, target, overwrite: true); // rename replaces a stale entry atomically
                return;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
            {
                File.Delete(temp);
                _useSymlinks = false;
                HubLog.SymlinksUnavailable(_logger, RepoDir, ex.Message);
            }
        }

        File.Copy(blob, temp, overwrite: true);
        File.Move(temp, target, overwrite: true);
    }

    /// <summary>
    /// True for a '/'-separated relative path with no empty, <c>.</c> or <c>..</c> segment, no backslash, drive or
    /// control character: a hostile file list must not write outside the snapshot folder.
    /// </summary>
    public static bool IsSafeRelativePath(string path)
        => path.Length is > 0 and <= 1024
            && !path.StartsWith('/')
            && !path.Any(c => char.IsControl(c) || c is '\\' or ':')
            && path.Split('/').All(segment => segment.Length > 0 && segment is not "." and not "..");

    /// <summary>The length of the file at <paramref name="path"/> after following symlinks, or null when it (or its target) is missing.</summary>
    private static long? FileLength(string path)
    {
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return RandomAccess.GetLength(handle);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or IOException)
        {
            return null;
        }
    }

    private string SnapshotPath(string commit, string relativePath) => Path.Combine(SnapshotDir(commit), relativePath.Replace('/', Path.DirectorySeparatorChar));

    private string RefPath(string revision) => Path.Combine(RepoDir, "refs", revision.Replace('/', Path.DirectorySeparatorChar));

    private string ManifestPath(string commit) => Path.Combine(RepoDir, ".llmdistill", "revisions", commit + ".json");

    private static void WriteAtomically(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(temp, content);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>The stored form of a commit's file list.</summary>
    private sealed record Manifest(int Version, string RepoId, string Commit, IReadOnlyList<HubRepoFile> Files);
}
