using System.Text.Json.Serialization;

namespace LLMDistill.Hub;

/// <summary>A revision resolved by the Hub API: its commit and the files it holds (immutable for a commit, so it is cached).</summary>
/// <param name="RepoId">The repository.</param>
/// <param name="CommitSha">The 40-character commit hash.</param>
/// <param name="Files">Every file of the commit with its size and checksums.</param>
internal sealed record HubRevisionInfo(string RepoId, string CommitSha, IReadOnlyList<HubRepoFile> Files);

/// <summary>One file of a commit as the Hub API lists it with <c>?blobs=true</c>.</summary>
/// <param name="Path">The path inside the repository (<c>rfilename</c>), '/'-separated, checked to stay inside the snapshot.</param>
/// <param name="Size">The size in bytes.</param>
/// <param name="BlobId">The git blob id (SHA-1 of <c>"blob {size}\0" + content</c>).</param>
/// <param name="Sha256">For files stored with git LFS, the SHA-256 of the content; null otherwise.</param>
internal sealed record HubRepoFile(string Path, long Size, string BlobId, string? Sha256)
{
    /// <summary>The blob's name in <c>blobs/</c>, the ETag <c>huggingface_hub</c> uses: the SHA-256 for LFS files, else the git blob id.</summary>
    [JsonIgnore]
    public string BlobName => Sha256 ?? BlobId;

    /// <summary>Whether the file is stored with git LFS (large files; served through a CDN redirect).</summary>
    [JsonIgnore]
    public bool IsLfs => Sha256 is not null;
}
