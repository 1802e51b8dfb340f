using System.Threading.Channels;

namespace LLMDistill.Generation.Pipeline;

/// <summary>
/// Stage 5: decides every candidate strictly in ordinal order (a reorder buffer absorbs the upstream parallelism):
/// threshold, top fraction per window of <c>Filter:Window</c> ordinals (decided only when the window is full, or at
/// the natural end of the input, never on a stop, so the choice cannot depend on timing), diversity quota, and the
/// target count. Decisions already on disk are replayed, not written again.
/// </summary>
internal sealed class FilterStage(RunContext context)
{
    private readonly Dictionary<long, WorkItem> _pending = [];
    private readonly List<WorkItem> _window = [];
    private readonly Dictionary<string, long> _quota = new(StringComparer.Ordinal);
    private long _next;
    private long _kept;

    public Task RunAsync(ChannelReader<WorkItem> input, ChannelWriter<SinkRecord> output, CancellationToken cancellationToken)
        => RunContext.CompleteAfterAsync(output, () => context.GuardAsync(() => DecideAllAsync(input, output, cancellationToken)));

    private async Task DecideAllAsync(ChannelReader<WorkItem> input, ChannelWriter<SinkRecord> output, CancellationToken cancellationToken)
    {
        await foreach (var item in input.ReadAllAsync(cancellationToken))
        {
            _pending[item.Ordinal] = item;
            while (_pending.Remove(_next, out var ready))
            {
                _next++;
                if (ready.Fresh)
                {
                    context.FreshDone();
                }

                await AcceptAsync(ready, output, cancellationToken);
            }

            context.AdvanceFilter(_next);
        }

        if (!context.StopToken.IsCancellationRequested && context.Fault is null && _pending.Count == 0 && _window.Count > 0)
        {
            await DecideWindowAsync(output, cancellationToken);
        }
    }

    private async Task AcceptAsync(WorkItem item, ChannelWriter<SinkRecord> output, CancellationToken cancellationToken)
    {
        if (context.Options.Filter.TopFraction >= 1.0)
        {
            await DecideAsync(item, passesTopFraction: true, output, cancellationToken);
            return;
        }

        _window.Add(item);
        if (_window.Count == context.Options.Filter.Window)
        {
            await DecideWindowAsync(output, cancellationToken);
        }
    }

    private async Task DecideWindowAsync(ChannelWriter<SinkRecord> output, CancellationToken cancellationToken)
    {
        var filter = context.Options.Filter;
        var eligible = _window
            .Select(w => (Item: w, Score: EligibleScore(w)))
            .Where(x => x.Score is { } s && s >= filter.MinScore)
            .OrderByDescending(x => x.Score)
            .ThenBy(x => x.Item.Task.TaskId, StringComparer.Ordinal)
            .ToList();
        var keep = (int)Math.Ceiling(filter.TopFraction * eligible.Count);
        var passing = eligible.Take(keep).Select(x => x.Item.Ordinal).ToHashSet();
        foreach (var item in _window)
        {
            await DecideAsync(item, passing.Contains(item.Ordinal), output, cancellationToken);
        }

        _window.Clear();
    }

    /// <summary>The score a candidate competes with in its window, or null when it is out of the running.</summary>
    private static double? EligibleScore(WorkItem item)
    {
        if (item.Resolved is { } resolved)
        {
            var competed = resolved.Kept || resolved.Reason is RejectionReasons.TopFraction or RejectionReasons.Quota or RejectionReasons.Surplus;
            return competed ? resolved.Scores?.Combined : null;
        }

        return item.Sample?.Scores?.Combined;
    }

    private async Task DecideAsync(WorkItem item, bool passesTopFraction, ChannelWriter<SinkRecord> output, CancellationToken cancellationToken)
    {
        var target = context.Options.TargetSamples;
        if (item.Resolved is { } resolved)
        {
            if (resolved.Kept)
            {
                Count(item.Task);
            }

            return;
        }

        if (item.Rejected is { } rejected)
        {
            await output.WriteAsync(new SinkRecord(null, rejected), cancellationToken);
            return;
        }

        var sample = item.Sample ?? throw new InvalidOperationException($"candidate {item.Task.Key} reached the filter undecided");
        var combined = sample.Scores?.Combined ?? 0;
        string? reason = null;
        if (_kept >= target)
        {
            reason = RejectionReasons.Surplus;
        }
        else if (combined < context.Options.Filter.MinScore)
        {
            reason = RejectionReasons.BelowThreshold;
        }
        else if (!passesTopFraction)
        {
            reason = RejectionReasons.TopFraction;
        }
        else if (context.Options.Filter.Quota != QuotaMode.None && _quota.GetValueOrDefault(QuotaGroup(item.Task)) >= QuotaCap())
        {
            reason = RejectionReasons.Quota;
        }

        if (reason is not null)
        {
            var detail = reason == RejectionReasons.Quota ? $"{context.Options.Filter.Quota} '{QuotaGroup(item.Task)}' has {QuotaCap()}" : null;
            await output.WriteAsync(new SinkRecord(null, RunContext.Reject(item.Task, reason, detail, sample.Scores, sample.Provenance.Teacher, sample.Response)), cancellationToken);
            return;
        }

        await output.WriteAsync(new SinkRecord(sample, null), cancellationToken);
        Count(item.Task);
    }

    private void Count(TaskCandidate task)
    {
        _kept++;
        context.KeptDecided();
        _quota[QuotaGroup(task)] = _quota.GetValueOrDefault(QuotaGroup(task)) + 1;
        if (_kept == context.Options.TargetSamples)
        {
            GenerationLog.TargetReached(context.Logger, context.Options.TargetSamples);
            context.MarkTargetReached();
        }
    }

    private string QuotaGroup(TaskCandidate task) => context.Options.Filter.Quota == QuotaMode.Seed ? task.SeedId : task.Category ?? "(none)";

    private long QuotaCap() => Math.Max(1, (long)Math.Floor(context.Options.Filter.MaxQuotaFraction * context.Options.TargetSamples));
}
