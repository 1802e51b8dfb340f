using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using LLMDistill.Data;
using LLMDistill.Generation.MultiTeacher;
using LLMDistill.Generation.Prompts;
using LLMDistill.Generation.Scoring;
using LLMDistill.Teachers;

namespace LLMDistill.Generation.Pipeline;

/// <summary>
/// Stage 4: teaching value of every answer (format checks, the judge's rubric score, perplexity and IFD), then the
/// multi-teacher choice and, when configured, the mixture of the answer teachers' top-k distributions as targets.
/// </summary>
internal sealed class ScoreStage(RunContext context)
{
    public Task RunAsync(ChannelReader<WorkItem> input, ChannelWriter<WorkItem> output, CancellationToken cancellationToken)
        => RunContext.CompleteAfterAsync(output, () => context.RunWorkersAsync(context.Options.Pipeline.ScoreParallelism, () => WorkAsync(input, output, cancellationToken)));

    private async Task WorkAsync(ChannelReader<WorkItem> input, ChannelWriter<WorkItem> output, CancellationToken cancellationToken)
    {
        await foreach (var item in input.ReadAllAsync(cancellationToken))
        {
            var result = item;
            if (item.Answers is { } answers && item.Resolved is null && item.Rejected is null)
            {
                var started = Stopwatch.GetTimestamp();
                result = context.TargetReached
                    ? item with { Rejected = RunContext.Reject(item.Task, RejectionReasons.Surplus, null) }
                    : await ScoreAsync(item, answers, cancellationToken);
                context.Counters.AddBusy("score", started);
            }

            await output.WriteAsync(result, cancellationToken);
        }
    }

    private async Task<WorkItem> ScoreAsync(WorkItem item, IReadOnlyList<AnswerAttempt> attempts, CancellationToken cancellationToken)
    {
        var task = item.Task;
        var scored = new List<TeacherAnswerCandidate>();
        (string Reason, string? Detail, string? Teacher, string? Response)? firstFailure = null;
        foreach (var attempt in attempts)
        {
            if (attempt.Response is null)
            {
                firstFailure ??= (attempt.FailureReason!, attempt.FailureDetail, attempt.Teacher, null);
                continue;
            }

            var (scores, failure) = await ScoreAnswerAsync(task, attempt, cancellationToken);
            if (scores is null)
            {
                firstFailure ??= (failure!.Value.Reason, failure.Value.Detail, attempt.Teacher, attempt.Response.Text);
                continue;
            }

            scored.Add(attempt.ToCandidate(scores));
        }

        if (scored.Count == 0)
        {
            var f = firstFailure!.Value;
            return item with { Rejected = RunContext.Reject(task, f.Reason, f.Detail, teacher: f.Teacher, response: f.Response) };
        }

        context.Counters.Add(CounterNames.Scored);
        if (AnswerSelection.Choose(scored, context.Options.MultiTeacher) is not { } selection)
        {
            var detail = string.Join(" | ", scored.Select(s => $"{s.Teacher}: {s.Response.Trim()}"));
            return item with { Rejected = RunContext.Reject(task, RejectionReasons.NoConsensus, detail, scored[0].Scores) };
        }

        var chosen = selection.Chosen;
        var logprobs = chosen.Logprobs;
        IReadOnlyDictionary<string, double>? mixture = null;
        if (context.Options.MultiTeacher.Mixture)
        {
            try
            {
                (logprobs, mixture) = await MixAsync(task, chosen.Response, cancellationToken);
            }
            catch (InvalidDataException ex)
            {
                return item with { Rejected = RunContext.Reject(task, RejectionReasons.MixtureMismatch, ex.Message, chosen.Scores, chosen.Teacher, chosen.Response) };
            }
            catch (TeacherException ex) when (!ex.IsFatal)
            {
                return item with { Rejected = RunContext.Reject(task, RejectionReasons.ScoringError, ex.Message, chosen.Scores, chosen.Teacher, chosen.Response) };
            }
        }

        var templateHash = ContentHash.Of(task.TemplateHash, context.Prompts[task.Mode == TeacherMode.Chat ? TemplateNames.Answer : TemplateNames.AnswerCompletion].Hash);
        var provenance = new SampleProvenance(task.SeedId, task.Category, templateHash, chosen.Teacher, chosen.Model, chosen.Sampling, task.Origin, mixture);
        var sample = new DistillationSample(context.SampleIdFor(task.TaskId), task.Mode, task.Text, task.Input, chosen.Response, provenance, chosen.Scores, logprobs, selection.Alternatives.Count > 0 ? selection.Alternatives : null);
        return item with { Sample = sample };
    }

    private async Task<(TeachingScores? Scores, (string Reason, string? Detail)? Failure)> ScoreAnswerAsync(TaskCandidate task, AnswerAttempt attempt, CancellationToken cancellationToken)
    {
        var choice = attempt.Response!.Choices[0];
        var options = context.Options.Score;
        if (FormatCheck.Reject(choice.Text, choice.FinishReason, options) is { } rejection)
        {
            return (null, (rejection, choice.FinishReason));
        }

        var format = FormatCheck.Score(task.Mode, choice.Text, choice.FinishReason, options);
        JudgeScore? judgeScore = null;
        double? perplexity = Likelihood.Perplexity(choice.Logprobs), ifd = null;
        try
        {
            if (context.Judge is { } judge)
            {
                var template = context.Prompts[task.Mode == TeacherMode.Chat ? TemplateNames.Judge : TemplateNames.JudgeCompletion];
                var sampling = options.JudgeSampling.ToParameters(ContentHash.SeedOf(context.Options.Seed.ToString(CultureInfo.InvariantCulture), "judge", task.TaskId, attempt.Teacher));
                var response = await judge.CompleteAsync(JudgePrompt.Build(template, task.Mode, task.Text, task.Input, choice.Text, sampling), cancellationToken);
                context.Counters.Add(CounterNames.Judged);
                context.Counters.SawModel(judge.Name, response.Model);
                judgeScore = JudgeResponseParser.Parse(response.Text, [task.Text, task.Input, choice.Text]);
                if (judgeScore is null)
                {
                    return (null, (RejectionReasons.JudgeUnparseable, Truncate(response.Text)));
                }
            }
        }
        catch (TeacherException ex) when (!ex.IsFatal)
        {
            return (null, (RejectionReasons.JudgeError, ex.Message));
        }

        try
        {
            if (context.Scorer is { } scorer)
            {
                var conditional = Likelihood.Perplexity(await scorer.ScoreAsync(ScoringContext(task), choice.Text, 0, cancellationToken));
                var unconditional = Likelihood.Perplexity(await scorer.ScoreAsync("", choice.Text, 0, cancellationToken));
                perplexity = conditional ?? perplexity;
                ifd = Likelihood.Ifd(conditional, unconditional);
            }
        }
        catch (TeacherException ex) when (!ex.IsFatal)
        {
            return (null, (RejectionReasons.ScoringError, ex.Message));
        }

        return (TeachingScore.Combine(judgeScore, perplexity, ifd, format, options), null);
    }

    private async Task<(IReadOnlyList<TokenLogprob>, IReadOnlyDictionary<string, double>)> MixAsync(TaskCandidate task, string answer, CancellationToken cancellationToken)
    {
        var weights = context.Answerers.ToDictionary(t => t.Name, t => context.Options.MultiTeacher.MixtureWeights.TryGetValue(t.Name, out var w) ? w : 1.0, StringComparer.Ordinal);
        var scored = await Task.WhenAll(context.Answerers.Select(async t =>
            (weights[t.Name], await ((IScoringTeacherClient)t).ScoreAsync(ScoringContext(task), answer, context.Options.MultiTeacher.MixtureTopK, cancellationToken))));
        var total = weights.Values.Sum();
        return (TopKMixture.Mix(scored, context.Options.MultiTeacher.MixtureTopK), weights.ToDictionary(kv => kv.Key, kv => kv.Value / total, StringComparer.Ordinal));
    }

    /// <summary>The text an answer is conditioned on when scored: the prefix, or the task (and input) followed by a blank line.</summary>
    internal static string ScoringContext(TaskCandidate task)
        => task.Mode == TeacherMode.Completion ? task.Text : task.Text + (task.Input is null ? "" : "\n\n" + task.Input) + "\n\n";

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
