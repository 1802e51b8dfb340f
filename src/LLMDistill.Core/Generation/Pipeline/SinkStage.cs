using System.Threading.Channels;
using LLMDistill.Data;

namespace LLMDistill.Generation.Pipeline;

/// <summary>
/// Stage 6: appends decided candidates to the shards and <c>rejected.jsonl</c>, fsyncing every
/// <c>Pipeline:FlushEvery</c> records or <c>Pipeline:FlushIntervalSeconds</c>. It is never cancelled: it drains what the
/// filter decided, even when the run stops, so every decision made is written. The written files are the truth; the
/// manifest is refreshed after a flush at most every <c>Pipeline:ProgressIntervalSeconds</c> (by the sink, which owns
/// the shard writer), so a killed attempt leaves recent counts, usage and cost behind.
/// </summary>
internal sealed class SinkStage(RunContext context, ShardedSampleWriter samples, JsonlAppender rejected, Action checkpoint)
{
    private readonly TimeSpan _checkpointInterval = TimeSpan.FromSeconds(context.Options.Pipeline.ProgressIntervalSeconds);
    private long _lastCheckpoint = System.Diagnostics.Stopwatch.GetTimestamp();
    private int _pending;

    public async Task RunAsync(ChannelReader<SinkRecord> input)
    {
        var interval = TimeSpan.FromSeconds(context.Options.Pipeline.FlushIntervalSeconds);
        try
        {
            while (true)
            {
                bool more;
                using (var timeout = new CancellationTokenSource(interval))
                {
                    try
                    {
                        more = await input.WaitToReadAsync(timeout.Token);
                    }
                    catch (OperationCanceledException) when (timeout.IsCancellationRequested)
                    {
                        await FlushAsync();
                        continue;
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException && context.Fault is not null)
                    {
                        break; // upstream failed and is reported; what it decided before has been written
                    }
                }

                if (!more)
                {
                    break;
                }

                while (input.TryRead(out var record))
                {
                    await WriteAsync(record);
                }
            }
        }
        finally
        {
            await FlushAsync();
        }
    }

    private async Task WriteAsync(SinkRecord record)
    {
        if (record.Sample is { } sample)
        {
            await samples.AppendAsync(sample, CancellationToken.None);
            context.Counters.Add(CounterNames.Kept);
        }
        else if (record.Rejected is { } rejection)
        {
            await rejected.AppendAsync(rejection, DatasetJson.Default.RejectedSample, CancellationToken.None);
            context.Counters.Reject(rejection.Reason);
        }

        if (++_pending >= context.Options.Pipeline.FlushEvery)
        {
            await FlushAsync();
        }
    }

    private async Task FlushAsync()
    {
        if (_pending == 0)
        {
            return;
        }

        await samples.FlushAsync(CancellationToken.None);
        await rejected.FlushAsync(CancellationToken.None);
        _pending = 0;
        if (System.Diagnostics.Stopwatch.GetElapsedTime(_lastCheckpoint) >= _checkpointInterval)
        {
            checkpoint();
            _lastCheckpoint = System.Diagnostics.Stopwatch.GetTimestamp();
        }
    }
}
