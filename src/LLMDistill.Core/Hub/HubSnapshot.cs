namespace LLMDistill.Hub;

/// <summary>A model revision present in the cache: its snapshot folder is a model directory.</summary>
/// <param name="RepoId">The repository.</param>
/// <param name="Revision">The revision asked for.</param>
/// <param name="CommitSha">The commit it resolved to.</param>
/// <param name="Directory">The absolute path of <c>snapshots/&lt;commit&gt;</c>.</param>
/// <param name="Files">The selected files, relative and '/'-separated.</param>
/// <param name="DownloadedFiles">Files fetched over the network by this call (0 when everything was cached).</param>
/// <param name="TransferredBytes">Bytes received over the network by this call.</param>
/// <param name="UsedNetwork">Whether this call contacted the Hub at all.</param>
public sealed record HubSnapshot(
    HubRepoId RepoId,
    string Revision,
    string CommitSha,
    string Directory,
    IReadOnlyList<string> Files,
    int DownloadedFiles,
    long TransferredBytes,
    bool UsedNetwork);
