using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using LLMDistill.Generation.Prompts;
using LLMDistill.Teachers;

namespace LLMDistill.Generation.Pipeline;

/// <summary>
/// Stage 3: every answer teacher answers each admitted task (chat or completion), with a sampling seed derived from
/// the run seed and the task's content and top-k logprobs where the teacher offers them. A non-fatal teacher error
/// is recorded for that teacher; a fatal one stops the run.
/// </summary>
internal sealed class AnswerStage(RunContext context)
{
    public Task RunAsync(ChannelReader<WorkItem> input, ChannelWriter<WorkItem> output, CancellationToken cancellationToken)
        => RunContext.CompleteAfterAsync(output, () => context.RunWorkersAsync(context.Options.Pipeline.AnswerParallelism, () => WorkAsync(input, output, cancellationToken)));

    /// <summary>The prompt or messages for a task.</summary>
    public static TeacherRequest BuildRequest(RunContext context, TaskCandidate task, SamplingParameters sampling, int topLogprobs)
    {
        if (task.Mode == TeacherMode.Completion)
        {
            var prompt = context.Prompts[TemplateNames.AnswerCompletion].RenderUser(new Dictionary<string, string>(StringComparer.Ordinal) { ["prefix"] = task.Text });
            return new TeacherRequest(null, prompt, sampling, topLogprobs);
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["instruction"] = task.Text,
            ["input_section"] = task.Input is null ? "" : "\n\nInput:\n" + task.Input,
        };
        return new TeacherRequest(context.Prompts[TemplateNames.Answer].RenderChat(values), null, sampling, topLogprobs);
    }

    private async Task WorkAsync(ChannelReader<WorkItem> input, ChannelWriter<WorkItem> output, CancellationToken cancellationToken)
    {
        await foreach (var item in input.ReadAllAsync(cancellationToken))
        {
            var result = item;
            if (item.Resolved is null && item.Rejected is null)
            {
                if (context.TargetReached)
                {
                    result = item with { Rejected = RunContext.Reject(item.Task, RejectionReasons.Surplus, null) };
                }
                else
                {
                    var started = Stopwatch.GetTimestamp();
                    result = item with { Answers = await AnswerAsync(item.Task, cancellationToken) };
                    context.Counters.AddBusy("answer", started);
                }
            }

            await output.WriteAsync(result, cancellationToken);
        }
    }

    private async Task<IReadOnlyList<AnswerAttempt>> AnswerAsync(TaskCandidate task, CancellationToken cancellationToken)
    {
        var seed = ContentHash.SeedOf(context.Options.Seed.ToString(CultureInfo.InvariantCulture), "answer", task.TaskId);
        var sampling = context.Options.Answer.Sampling.ToParameters(seed);
        var attempts = context.Answerers.Select(async teacher =>
        {
            var topLogprobs = Math.Min(context.Options.Answer.TopLogprobs, teacher.Capabilities.MaxTopLogprobs);
            try
            {
                var response = await teacher.CompleteAsync(BuildRequest(context, task, sampling, topLogprobs), cancellationToken);
                context.Counters.Add(CounterNames.Answered);
                context.Counters.SawModel(teacher.Name, response.Model);
                return new AnswerAttempt(teacher.Name, response, sampling, null, null);
            }
            catch (TeacherException ex) when (!ex.IsFatal)
            {
                context.Counters.Add(CounterNames.AnswerFailures);
                GenerationLog.AnswerFailed(context.Logger, task.Key, teacher.Name, ex.Message);
                var reason = ex.Category == TeacherErrorCategory.ContentFilter ? RejectionReasons.AnswerContentFilter : RejectionReasons.AnswerTeacherError;
                return new AnswerAttempt(teacher.Name, null, sampling, reason, ex.Message);
            }
        });
        return await Task.WhenAll(attempts);
    }
}
