namespace LLMDistill.Hub;

/// <summary>A progress report of <see cref="HubDownloader.PullAsync"/>, sent at most about ten times a second per file and once when a file completes.</summary>
/// <param name="File">The file this report is about (repository path).</param>
/// <param name="FileBytes">Bytes of <paramref name="File"/> on disk so far (a resumed download starts above zero).</param>
/// <param name="FileSize">The file's size.</param>
/// <param name="FileCompleted">The file is verified and in the snapshot.</param>
/// <param name="TotalBytes">Bytes of all selected files on disk so far.</param>
/// <param name="TotalSize">The size of all selected files.</param>
/// <param name="TransferredBytes">Bytes received over the network by this pull.</param>
/// <param name="BytesPerSecond">The average transfer rate of this pull so far.</param>
/// <param name="FilesCompleted">Selected files already in the snapshot.</param>
/// <param name="FilesTotal">Selected files.</param>
public readonly record struct HubDownloadProgress(
    string File,
    long FileBytes,
    long FileSize,
    bool FileCompleted,
    long TotalBytes,
    long TotalSize,
    long TransferredBytes,
    double BytesPerSecond,
    int FilesCompleted,
    int FilesTotal);
