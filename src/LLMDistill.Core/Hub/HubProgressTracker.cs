namespace LLMDistill.Hub;

/// <summary>Adds up bytes across concurrent downloads and reports them, throttled, through an <see cref="IProgress{T}"/>.</summary>
internal sealed class HubProgressTracker
{
    private static readonly TimeSpan ReportInterval = TimeSpan.FromMilliseconds(100);
    private readonly Lock _lock = new();
    private readonly IProgress<HubDownloadProgress>? _progress;
    private readonly TimeProvider _timeProvider;
    private readonly long _started;
    private readonly Dictionary<string, long> _fileBytes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _lastReport = new(StringComparer.Ordinal);
    private readonly long _totalSize;
    private readonly int _filesTotal;
    private long _totalBytes;
    private long _transferred;
    private int _filesCompleted;

    public HubProgressTracker(IProgress<HubDownloadProgress>? progress, TimeProvider timeProvider, IReadOnlyCollection<HubRepoFile> files)
    {
        _progress = progress;
        _timeProvider = timeProvider;
        _started = timeProvider.GetTimestamp();
        _totalSize = files.Sum(f => f.Size);
        _filesTotal = files.Count;
    }

    /// <summary>Bytes received over the network so far.</summary>
    public long TransferredBytes
    {
        get
        {
            lock (_lock)
            {
                return _transferred;
            }
        }
    }

    /// <summary>Sets how much of <paramref name="file"/> is on disk (a resumed prefix, or 0 after a restart).</summary>
    public void SetFileBytes(HubRepoFile file, long bytes) => Update(file, bytes, transferred: 0, completed: false);

    /// <summary>Counts <paramref name="count"/> bytes of <paramref name="file"/> received.</summary>
    public void Add(HubRepoFile file, int count)
    {
        long current;
        lock (_lock)
        {
            current = _fileBytes.GetValueOrDefault(file.Path);
        }

        Update(file, current + count, count, completed: false);
    }

    /// <summary>Marks <paramref name="file"/> verified and in the snapshot.</summary>
    public void Complete(HubRepoFile file) => Update(file, file.Size, transferred: 0, completed: true);

    private void Update(HubRepoFile file, long fileBytes, long transferred, bool completed)
    {
        // reported inside the lock so a consumer sees totals in order across download threads
        lock (_lock)
        {
            _totalBytes += fileBytes - _fileBytes.GetValueOrDefault(file.Path);
            _fileBytes[file.Path] = fileBytes;
            _transferred += transferred;
            _filesCompleted += completed ? 1 : 0;
            var now = _timeProvider.GetTimestamp();
            if (_progress is null || (!completed && _lastReport.TryGetValue(file.Path, out var last) && _timeProvider.GetElapsedTime(last, now) < ReportInterval))
            {
                return;
            }

            _lastReport[file.Path] = now;
            var seconds = _timeProvider.GetElapsedTime(_started, now).TotalSeconds;
            _progress.Report(new HubDownloadProgress(file.Path, fileBytes, file.Size, completed, _totalBytes, _totalSize, _transferred,
                seconds > 0 ? _transferred / seconds : 0, _filesCompleted, _filesTotal));
        }
    }
}
