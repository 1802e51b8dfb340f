using Microsoft.Extensions.Logging;

namespace LLMDistill.Hub;

/// <summary>
/// Downloads Hugging Face model repositories into the shared cache (<c>llmdistill pull</c>): resolves a revision to a
/// commit, selects the files a model directory needs, downloads them a few at a time with resume and checksum
/// verification, and links them into <c>snapshots/&lt;commit&gt;</c>. Re-running it on a complete snapshot downloads
/// nothing (for a commit hash it makes no request at all).
/// </summary>
public sealed class HubDownloader
{
    private readonly HubOptions _options;
    private readonly HubEnvironment _environment;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<HubDownloader> _logger;
    private readonly HubHttpClient _http;
    private readonly HubApiClient _api;

    /// <summary>Creates the downloader.</summary>
    /// <param name="httpClient">
    /// The client for all requests. It should not follow redirects itself (the downloader does, dropping the token on
    /// cross-host redirects), and its <see cref="HttpClient.Timeout"/> should be infinite (timeouts come from <paramref name="options"/>);
    /// <c>AddLlmDistillHub</c> registers one configured that way.
    /// </param>
    /// <param name="options">The <c>Hub</c> section.</param>
    /// <param name="environment">The <c>HF_*</c> variables (endpoint, token, offline mode, default cache).</param>
    /// <param name="timeProvider">Clock for timeouts, retry delays and transfer rates.</param>
    /// <param name="logger">The logger; the token never reaches it.</param>
    /// <exception cref="LLMDistill.Configuration.OptionsValidationException">The endpoint is not an absolute http(s) URL.</exception>
    public HubDownloader(HttpClient httpClient, HubOptions options, HubEnvironment environment, TimeProvider timeProvider, ILogger<HubDownloader> logger)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        _options = options;
        _environment = environment;
        _timeProvider = timeProvider;
        _logger = logger;
        var endpointText = !string.IsNullOrWhiteSpace(options.Endpoint) ? options.Endpoint : environment.Endpoint ?? HubOptions.DefaultEndpoint;
        Endpoint = HubEndpoint.TryParse(endpointText, out var endpoint)
            ? endpoint
            : throw new LLMDistill.Configuration.OptionsValidationException(
                $"{(string.IsNullOrWhiteSpace(options.Endpoint) ? "HF_ENDPOINT" : $"{HubOptions.SectionName}:{nameof(HubOptions.Endpoint)}")}: must be an absolute http(s) URL (got '{endpointText}')");
        CacheDir = Path.GetFullPath(!string.IsNullOrWhiteSpace(options.CacheDir) ? options.CacheDir : environment.DefaultCacheDir);
        _http = new HubHttpClient(httpClient, Endpoint, environment.Token, options, timeProvider, logger);
        _api = new HubApiClient(_http);
    }

    /// <summary>The Hub in use: <see cref="HubOptions.Endpoint"/>, else <c>HF_ENDPOINT</c>, else https://huggingface.co.</summary>
    public Uri Endpoint { get; }

    /// <summary>The cache root in use: <see cref="HubOptions.CacheDir"/>, else the <c>HF_HUB_CACHE</c>/<c>HF_HOME</c> default.</summary>
    public string CacheDir { get; }

    /// <summary>Whether <c>HF_HUB_OFFLINE</c> forbids network calls.</summary>
    public bool Offline => _environment.Offline;

    /// <summary>Makes the revision's model files present in the cache and returns the snapshot folder.</summary>
    /// <param name="request">Repository, revision, extra patterns and cache preference.</param>
    /// <param name="progress">Receives byte counts and rates while files download; may be null.</param>
    /// <param name="cancellationToken">Stops the downloads; partial files are kept for the next attempt.</param>
    /// <returns>The complete snapshot.</returns>
    /// <exception cref="HubException">Access denied, not found, offline, unavailable after retries, checksum mismatch or an unusable cache; the message is one line.</exception>
    public async Task<HubSnapshot> PullAsync(HubPullRequest request, IProgress<HubDownloadProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!HubRevision.IsValid(request.Revision, out var revisionError))
        {
            throw new HubException(HubErrorCategory.NotFound, $"'{request.RepoId}': {revisionError}");
        }

        var cache = new HubCache(CacheDir, request.RepoId, _options.UseSymlinks, _logger);
        var patterns = _options.EffectiveAllowPatterns(request.Include).Select(p => new GlobPattern(p)).ToArray();
        try
        {
            if ((request.PreferCache || Offline || HubRevision.IsCommitHash(request.Revision))
                && FindCached(cache, request.RepoId, request.Revision, patterns, acceptUnlisted: Offline) is { } cached)
            {
                HubLog.FromCache(_logger, request.RepoId.Value, request.Revision, cached.Directory);
                return cached;
            }

            if (Offline)
            {
                throw new HubException(HubErrorCategory.Offline,
                    $"HF_HUB_OFFLINE is set and '{request.RepoId}'@{request.Revision} is not complete in the cache at {cache.RepoDir}; unset HF_HUB_OFFLINE to download it");
            }

            var info = await _api.GetRevisionAsync(request.RepoId, request.Revision, cancellationToken);
            cache.WriteManifest(info);
            var selected = Select(info, patterns, request);
            var snapshot = await DownloadAsync(cache, request, info.CommitSha, selected, progress, cancellationToken);
            if (request.Revision != info.CommitSha)
            {
                cache.WriteRef(request.Revision, info.CommitSha);
            }

            return snapshot;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new HubException(HubErrorCategory.Cache, $"cannot use the model cache at {cache.RepoDir}: {ex.Message.ReplaceLineEndings(" ")}", innerException: ex);
        }
    }

    private async Task<HubSnapshot> DownloadAsync(
        HubCache cache, HubPullRequest request, string commit, HubRepoFile[] selected, IProgress<HubDownloadProgress>? progress, CancellationToken cancellationToken)
    {
        var tracker = new HubProgressTracker(progress, _timeProvider, selected);
        var downloader = new HubBlobDownloader(_http, cache, _options, _timeProvider, tracker, _logger);
        var downloaded = 0;
        if (_logger.IsEnabled(LogLevel.Information))
        {
            var bytesToFetch = selected.Where(f => !cache.HasSnapshotFile(commit, f)).Sum(f => f.Size);
            HubLog.Resolved(_logger, request.RepoId.Value, request.Revision, commit, selected.Length, bytesToFetch);
        }


        // files with equal content share one blob: download it once, then link every path to it
        var groups = selected.GroupBy(f => f.BlobName, StringComparer.Ordinal).ToArray();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentDownloads, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(groups, parallel, async (group, token) =>
        {
            var missing = new List<HubRepoFile>();
            foreach (var file in group)
            {
                if (cache.HasSnapshotFile(commit, file))
                {
                    tracker.Complete(file);
                }
                else
                {
                    missing.Add(file);
                }
            }

            if (missing.Count == 0)
            {
                return;
            }

            if (cache.BlobLength(group.Key) != missing[0].Size)
            {
                await downloader.DownloadAsync(request.RepoId, commit, missing[0], token);
                Interlocked.Increment(ref downloaded);
            }

            foreach (var file in missing)
            {
                cache.Link(commit, file);
                tracker.Complete(file);
            }
        });

        var snapshot = new HubSnapshot(request.RepoId, request.Revision, commit, cache.SnapshotDir(commit),
            selected.Select(f => f.Path).ToArray(), downloaded, tracker.TransferredBytes, UsedNetwork: true);
        HubLog.Pulled(_logger, request.RepoId.Value, commit, snapshot.Directory, downloaded, tracker.TransferredBytes);
        return snapshot;
    }

    /// <summary>
    /// A complete cached snapshot of the revision without any network call, or null. With <paramref name="acceptUnlisted"/>
    /// (offline), a snapshot filled by another tool, for which no file list is stored, counts when it holds any file.
    /// </summary>
    private static HubSnapshot? FindCached(HubCache cache, HubRepoId repoId, string revision, GlobPattern[] patterns, bool acceptUnlisted)
    {
        var commit = HubRevision.IsCommitHash(revision) ? revision : cache.ReadRef(revision);
        if (commit is null)
        {
            return null;
        }

        IReadOnlyList<string> files;
        if (cache.ReadManifest(commit) is { } manifest)
        {
            var selected = manifest.Files.Where(f => GlobPattern.MatchesAny(patterns, f.Path)).ToArray();
            if (selected.Length == 0 || !selected.All(f => cache.HasSnapshotFile(commit, f)))
            {
                return null;
            }

            files = selected.Select(f => f.Path).ToArray();
        }
        else if (!acceptUnlisted || (files = cache.ListSnapshot(commit)).Count == 0)
        {
            return null;
        }

        return new HubSnapshot(repoId, revision, commit, cache.SnapshotDir(commit), files, 0, 0, UsedNetwork: false);
    }

    private static HubRepoFile[] Select(HubRevisionInfo info, GlobPattern[] patterns, HubPullRequest request)
    {
        var selected = info.Files.Where(f => GlobPattern.MatchesAny(patterns, f.Path)).ToArray();
        if (selected.Length == 0)
        {
            var available = string.Join(", ", info.Files.Select(f => f.Path).Take(12)) + (info.Files.Count > 12 ? ", ..." : string.Empty);
            throw new HubException(HubErrorCategory.NotFound,
                $"no file of '{request.RepoId}'@{request.Revision} matches the patterns {string.Join(", ", patterns.Select(p => p.Pattern))}; "
                + $"it has: {(available.Length > 0 ? available : "no files")} (add patterns with --include or Hub:AllowPatterns)");
        }

        return selected;
    }
}
