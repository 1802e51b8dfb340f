namespace LLMDistill.Data;

/// <summary>
/// Appends samples to <c>samples-NNNNN.jsonl</c> shards of at most <c>shardSize</c> lines, continuing the last shard of
/// an existing directory after repairing its torn tail. Not thread-safe: one sink owns it.
/// </summary>
internal sealed class ShardedSampleWriter : IAsyncDisposable
{
    private readonly string _directory;
    private readonly int _shardSize;
    private readonly List<ManifestShard> _shards = [];
    private JsonlAppender? _current;
    private long _currentCount;

    private ShardedSampleWriter(string directory, int shardSize)
    {
        _directory = directory;
        _shardSize = shardSize;
    }

    /// <summary>Shards and their sample counts so far.</summary>
    public IReadOnlyList<ManifestShard> Shards => [.. _shards, .. _current is null ? Array.Empty<ManifestShard>() : [new ManifestShard(System.IO.Path.GetFileName(_current.Path), _currentCount)]];

    /// <summary>Samples written in total (existing plus new).</summary>
    public long Count => _shards.Sum(s => s.Samples) + _currentCount;

    /// <summary>Opens the writer; existing shards are counted (their torn tails repaired) so numbering continues.</summary>
    public static async Task<ShardedSampleWriter> OpenAsync(string directory, int shardSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(shardSize);
        Directory.CreateDirectory(directory);
        var writer = new ShardedSampleWriter(directory, shardSize);
        foreach (var file in DatasetDirectory.FindSampleFiles(directory))
        {
            JsonlFile.RepairTornTail(file);
            long count = 0;
            await foreach (var _ in JsonlFile.ReadAsync(file, DatasetJson.Default.DistillationSample, skipTornTail: false, cancellationToken))
            {
                count++;
            }

            writer._shards.Add(new ManifestShard(System.IO.Path.GetFileName(file), count));
        }

        if (writer._shards.Count > 0 && writer._shards[^1].Samples < shardSize)
        {
            var last = writer._shards[^1];
            writer._shards.RemoveAt(writer._shards.Count - 1);
            writer._current = new JsonlAppender(System.IO.Path.Combine(directory, last.File));
            writer._currentCount = last.Samples;
        }

        return writer;
    }

    public async ValueTask AppendAsync(DistillationSample sample, CancellationToken cancellationToken)
    {
        if (_current is null || _currentCount >= _shardSize)
        {
            await RotateAsync(cancellationToken);
        }

        await _current!.AppendAsync(sample, DatasetJson.Default.DistillationSample, cancellationToken);
        _currentCount++;
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken)
        => _current?.FlushAsync(cancellationToken) ?? ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_current is not null)
        {
            await _current.DisposeAsync();
        }
    }

    private async Task RotateAsync(CancellationToken cancellationToken)
    {
        if (_current is not null)
        {
            await _current.FlushAsync(cancellationToken);
            await _current.DisposeAsync();
            _shards.Add(new ManifestShard(System.IO.Path.GetFileName(_current.Path), _currentCount));
        }

        var index = _shards.Count;
        _current = new JsonlAppender(System.IO.Path.Combine(_directory, DatasetDirectory.ShardFileName(index)));
        _currentCount = 0;
    }
}
