using System.Diagnostics;
using System.Threading.Channels;
using LLMDistill.Generation.Expansion;
using LLMDistill.Teachers;

namespace LLMDistill.Generation.Pipeline;

/// <summary>
/// Stage 1: the seeds (round 0), then rounds of expansion requests answered by the expand teacher with
/// <c>Pipeline:ExpandParallelism</c> workers. Round r is planned once dedupe has finished round r − 1, so accepted
/// tasks feed back as examples. Results are journaled, so a resumed run replays them instead of paying again.
/// </summary>
internal sealed class ExpandStage(RunContext context, ExpansionJournal journal)
{
    public Task RunAsync(ChannelWriter<CandidateBatch> output, CancellationToken cancellationToken)
        => RunContext.CompleteAfterAsync(output, async () =>
        {
            await output.WriteAsync(new CandidateBatch(0, 0, SeedCandidates()), cancellationToken);
            var requests = Channel.CreateBounded<ExpansionSpec>(new BoundedChannelOptions(context.Options.Pipeline.ExpandParallelism) { FullMode = BoundedChannelFullMode.Wait, SingleWriter = true });
            var workers = context.RunWorkersAsync(context.Options.Pipeline.ExpandParallelism, () => WorkAsync(requests.Reader, output, cancellationToken));
            try
            {
                await context.GuardAsync(() => PlanRoundsAsync(requests.Writer, cancellationToken));
            }
            finally
            {
                requests.Writer.TryComplete();
                await workers;
            }
        });

    private List<TaskCandidate> SeedCandidates()
        => context.Seeds.Select(s => new TaskCandidate(
            "seed:" + s.Id,
            TaskCandidate.TaskIdOf(context.Mode, s.Text, s.Input),
            context.Mode,
            s.Text,
            s.Input,
            s.Id,
            s.Category,
            "seed",
            "seed",
            !context.Options.IncludeSeeds,
            null)).ToList();

    private async Task PlanRoundsAsync(ChannelWriter<ExpansionSpec> requests, CancellationToken cancellationToken)
    {
        var expand = context.Options.Expand;
        using var stopOrCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, context.StopToken);
        for (var round = 1; round <= expand.MaxRounds; round++)
        {
            bool ready;
            try
            {
                ready = await context.Pool.WaitForRoundAsync(round - 1, stopOrCancel.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return; // graceful stop
            }

            if (!ready || context.ShouldStop)
            {
                return;
            }

            var recent = context.Pool.RecentAccepted(expand.StallRounds);
            if (recent.Count == expand.StallRounds && recent.All(n => n == 0))
            {
                context.Notes.Enqueue($"expansion stopped after round {round - 1}: {expand.StallRounds} rounds in a row added no new task");
                GenerationLog.ExpansionStalled(context.Logger, round - 1, expand.StallRounds);
                context.InputsExhausted = true;
                return;
            }

            var (seeds, generated) = context.Pool.Snapshot(round - 1);
            if (seeds.Count == 0)
            {
                context.Notes.Enqueue("no seed survived deduplication; nothing to expand");
                context.InputsExhausted = true;
                return;
            }

            context.Counters.Add(CounterNames.Rounds);
            foreach (var spec in ExpansionPlanner.Plan(context, round, seeds, generated))
            {
                await requests.WriteAsync(spec, cancellationToken);
            }
        }

        context.Notes.Enqueue($"expansion stopped at Expand:MaxRounds ({expand.MaxRounds})");
        context.InputsExhausted = true;
    }

    private async Task WorkAsync(ChannelReader<ExpansionSpec> requests, ChannelWriter<CandidateBatch> output, CancellationToken cancellationToken)
    {
        await foreach (var spec in requests.ReadAllAsync(cancellationToken))
        {
            if (context.ShouldStop)
            {
                continue; // planned before the stop; nobody will dedupe it
            }

            var started = Stopwatch.GetTimestamp();
            var record = await ExpandAsync(spec, cancellationToken);
            context.Counters.AddBusy("expand", started);
            await output.WriteAsync(ToBatch(spec, record), cancellationToken);
        }
    }

    private async Task<ExpansionRecord> ExpandAsync(ExpansionSpec spec, CancellationToken cancellationToken)
    {
        if (context.Resume.Journal.TryGetValue(spec.Key, out var replayed))
        {
            context.Counters.Add(CounterNames.ExpansionReplayed);
            return replayed;
        }

        ExpansionRecord record;
        try
        {
            var response = await context.Expander.CompleteAsync(spec.Request, cancellationToken);
            context.Counters.Add(CounterNames.ExpansionRequests);
            context.Counters.SawModel(context.Expander.Name, response.Model);
            var choice = response.Choices[0];
            var truncated = choice.FinishReason == "length";
            IReadOnlyList<ExpansionItem> items = spec.Origin switch
            {
                "completion" => OpeningParser.Parse(choice.Text, context.Options.Expand.OpeningLines, truncated, spec.RequireSpeaker).Select(o => new ExpansionItem(o, null)).ToList(),
                _ when spec.Origin.StartsWith("evol:", StringComparison.Ordinal) => EvolReplyParser.Parse(choice.Text) is { } evolved ? [new ExpansionItem(evolved.Instruction, evolved.Input)] : [],
                _ => TaskListParser.Parse(choice.Text, truncated).Take(context.Options.Expand.TasksPerRequest).Select(t => new ExpansionItem(t.Instruction, t.Input)).ToList(),
            };
            record = new ExpansionRecord(spec.Key, spec.Origin, spec.TemplateHash, spec.SeedId, spec.Category, context.Expander.Name, response.Model, choice.FinishReason, items, null);
        }
        catch (TeacherException ex) when (!ex.IsFatal)
        {
            context.Counters.Add(CounterNames.ExpansionErrors);
            GenerationLog.ExpansionFailed(context.Logger, spec.Key, ex.Message);
            record = new ExpansionRecord(spec.Key, spec.Origin, spec.TemplateHash, spec.SeedId, spec.Category, context.Expander.Name, null, null, [], ex.Message);
        }

        await journal.AppendAsync(record, cancellationToken);
        return record;
    }

    private CandidateBatch ToBatch(ExpansionSpec spec, ExpansionRecord record)
    {
        var candidates = record.Items.Select((item, j) => new TaskCandidate(
            $"{spec.Key}.{j:D3}",
            TaskCandidate.TaskIdOf(context.Mode, item.Text, item.Input),
            context.Mode,
            item.Text,
            item.Input,
            record.SeedId,
            record.Category,
            record.Origin,
            record.TemplateHash,
            false,
            TaskQualityFilter.Check(item.Text, context.Mode, context.Options.Expand))).ToList();
        return new CandidateBatch(spec.Round, spec.Index, candidates);
    }
}
