using Microsoft.Extensions.Logging;

namespace LLMDistill.Hub;

/// <summary>The Hub downloader's log messages. None of them carries the token; URLs are logged without query strings.</summary>
internal static partial class HubLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Resolved {RepoId}@{Revision} to commit {Commit} ({FileCount} files, {Bytes} bytes to fetch)")]
    public static partial void Resolved(ILogger logger, string repoId, string revision, string commit, int fileCount, long bytes);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "{RepoId}@{Revision} is complete in the cache at {Directory}")]
    public static partial void FromCache(ILogger logger, string repoId, string revision, string directory);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Debug, Message = "Downloading {File} ({Bytes} bytes) from {Url}")]
    public static partial void Downloading(ILogger logger, string file, long bytes, string url);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "Resuming {File} at byte {Offset} of {Bytes}")]
    public static partial void Resuming(ILogger logger, string file, long offset, long bytes);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "Retry {Attempt}/{MaxRetries} in {Delay}: {Reason}")]
    public static partial void Retrying(ILogger logger, int attempt, int maxRetries, TimeSpan delay, string reason);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Warning, Message = "The server ignored the Range request for {File}; downloading it from the start")]
    public static partial void RangeIgnored(ILogger logger, string file);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Error, Message = "Checksum mismatch for {File}: expected {Expected}, got {Actual}; the download was deleted")]
    public static partial void ChecksumMismatch(ILogger logger, string file, string expected, string actual);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Warning, Message = "Symbolic links are not available in {Directory} ({Reason}); copying blobs into snapshots instead")]
    public static partial void SymlinksUnavailable(ILogger logger, string directory, string reason);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Information, Message = "Pulled {RepoId}@{Commit} into {Directory}: {Files} files downloaded, {Bytes} bytes transferred")]
    public static partial void Pulled(ILogger logger, string repoId, string commit, string directory, int files, long bytes);
}
