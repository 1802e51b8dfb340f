using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using LLMDistill.Generation.Dedupe;

namespace LLMDistill.Generation.Pipeline;

/// <summary>
/// Stage 2: puts expansion batches back in canonical order (round, request), then deduplicates every candidate against
/// all kept tasks in that order, so the decisions and the ordinals it hands out do not depend on timing. Accepted
/// tasks join the example pool; every candidate, kept or rejected, is numbered and passed on so the filter can decide
/// strictly in order. Admission waits for the reorder window, which bounds memory and wasted work at the target.
/// </summary>
internal sealed class DedupeStage(RunContext context)
{
    private readonly NearDuplicateIndex _index = new(context.Options.Dedupe.RougeLThreshold, context.Options.Dedupe.MinHashBands, context.Options.Dedupe.MinHashRows);
    private long _ordinal;

    public Task RunAsync(ChannelReader<CandidateBatch> input, ChannelWriter<WorkItem> output, CancellationToken cancellationToken)
        => RunContext.CompleteAfterAsync(output, async () =>
        {
            try
            {
                await context.GuardAsync(() => AdmitAllAsync(input, output, cancellationToken));
            }
            finally
            {
                context.Pool.Close(); // the original order: failure recorded (GuardAsync), pool closed, output completed
            }
        });

    private async Task AdmitAllAsync(ChannelReader<CandidateBatch> input, ChannelWriter<WorkItem> output, CancellationToken cancellationToken)
    {
        var buffer = new SortedDictionary<(int Round, int Request), CandidateBatch>();
        var (round, request, accepted) = (0, 0, 0);
        await foreach (var batch in input.ReadAllAsync(cancellationToken))
        {
            if (context.StopToken.IsCancellationRequested)
            {
                continue; // graceful stop: admit nothing more (redone on resume), but let expansion finish in flight
            }

            buffer[(batch.Round, batch.Request)] = batch;
            while (buffer.Remove((round, request), out var next))
            {

                var started = Stopwatch.GetTimestamp();
                accepted += await ProcessAsync(next, output, cancellationToken);
                context.Counters.AddBusy("dedupe", started);
                if (++request == (round == 0 ? 1 : context.Options.Expand.RequestsPerRound))
                {
                    context.Pool.CompleteRound(round, accepted);
                    (round, request, accepted) = (round + 1, 0, 0);
                }
            }
        }
    }

    private async Task<int> ProcessAsync(CandidateBatch batch, ChannelWriter<WorkItem> output, CancellationToken cancellationToken)
    {
        var accepted = 0;
        foreach (var task in batch.Candidates)
        {
            if (task.ExampleOnly)
            {
                if (_index.AddIfUnique(task.Key, task.DedupeText).Kind == DuplicateKind.None)
                {
                    context.Pool.Add(batch.Round, task);
                    accepted++;
                }

                continue;
            }

            if (context.StopToken.IsCancellationRequested)
            {
                return accepted;
            }

            context.Counters.Add(task.Origin == "seed" ? CounterNames.Seeds : CounterNames.Generated);
            string? reason = null, detail = null;
            if (context.TargetReached)
            {
                reason = RejectionReasons.Surplus;
            }
            else if (task.Rejection is not null)
            {
                reason = task.Rejection;
            }
            else
            {
                var verdict = _index.AddIfUnique(task.Key, task.DedupeText);
                if (verdict.Kind == DuplicateKind.None)
                {
                    context.Pool.Add(batch.Round, task);
                    accepted++;
                }
                else
                {
                    reason = verdict.Kind == DuplicateKind.Exact ? RejectionReasons.DuplicateExact : RejectionReasons.DuplicateNear;
                    detail = string.Create(CultureInfo.InvariantCulture, $"{verdict.MatchKey} (ROUGE-L {verdict.Score:F3})");
                }
            }

            context.Counters.Add(CounterNames.Deduplicated);
            var item = new WorkItem(_ordinal, task);
            if (reason is not null)
            {
                // Already rejected on disk (by key, or as surplus of an earlier attempt that reached the target): not written twice.
                item = context.Resume.RejectedByKey.ContainsKey(task.Key) || (context.Resume.RejectedByTaskId.TryGetValue(task.TaskId, out var earlier) && earlier.Reason == RejectionReasons.Surplus)
                    ? item with { Resolved = new ResolvedTask(false, reason, null) }
                    : item with { Rejected = RunContext.Reject(task, reason, detail) };
            }
            else if (context.Resume.KeptBySampleId.TryGetValue(context.SampleIdFor(task.TaskId), out var kept))
            {
                item = item with { Resolved = kept };
            }
            else if (context.Resume.RejectedByTaskId.TryGetValue(task.TaskId, out var rejected))
            {
                item = item with { Resolved = rejected };
            }
            else
            {
                context.Counters.Add(CounterNames.Admitted);
                item = item with { Fresh = true };
            }

            await context.WaitForAdmissionAsync(_ordinal, cancellationToken);
            if (item.Fresh)
            {
                await context.WaitForTeacherSlotAsync(cancellationToken);
            }

            if (context.StopToken.IsCancellationRequested)
            {
                return accepted;
            }

            if (item.Fresh)
            {
                context.FreshAdmitted();
            }

            _ordinal++;
            await output.WriteAsync(item, cancellationToken);
        }

        return accepted;
    }
}
