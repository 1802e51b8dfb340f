using System.Globalization;
using LLMDistill.Evaluation.Datasets;
using LLMDistill.Teachers;
using LLMDistill.Tokenization;

namespace LLMDistill.Evaluation;

/// <summary>Fresh answers of an API teacher to the generation samples (temperature 0, fixed seed, through the factory's cache and resilience).</summary>
internal static class ApiAnswers
{
    /// <summary>The answers, or null with a note when the teacher cannot answer these samples or a request failed.</summary>
    public static async Task<(AnswerSet? Answers, string? Note)> AskAsync(
        ITeacherClient teacher, IReadOnlyList<EvalSample> samples, EvalOptions options, Action<int, int>? progress, CancellationToken cancellationToken)
    {
        var needsChat = samples.Any(s => s.Mode == TeacherMode.Chat);
        var needsCompletion = samples.Any(s => s.Mode == TeacherMode.Completion);
        if ((needsChat && !teacher.Capabilities.Chat) || (needsCompletion && !teacher.Capabilities.Completion))
        {
            return (null, $"Teacher '{teacher.Name}' does not accept {(needsChat && !teacher.Capabilities.Chat ? "chat" : "completion")} requests: no reference answers from it.");
        }

        var sampling = new SamplingParameters(Temperature: 0, TopP: 1, MaxTokens: options.MaxNewTokens, Seed: 1234);
        var texts = new string[samples.Count];
        var failures = 0;
        string? firstError = null;
        var done = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.ApiConcurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, samples.Count), parallel, async (i, ct) =>
        {
            var sample = samples[i];
            var request = sample.Mode == TeacherMode.Chat
                ? new TeacherRequest(SampleEncoder.ChatTask(sample.Instruction, sample.Input, options.SystemPrompt), null, sampling)
                : new TeacherRequest(null, sample.Instruction, sampling);
            try
            {
                texts[i] = (await teacher.CompleteAsync(request, ct)).Text;
            }
            catch (TeacherException ex) when (!ex.IsFatal)
            {
                // One failure makes the reference set incomplete; it is dropped as a whole and explained. Fatal errors
                // (authentication, budget, unknown model) end the evaluation with their own message.
                if (Interlocked.Increment(ref failures) == 1)
                {
                    firstError = ex.Message;
                }
            }

            progress?.Invoke(Interlocked.Increment(ref done), samples.Count);
        });

        return failures == 0
            ? (new AnswerSet(teacher.Name, texts, null), null)
            : (null, string.Create(CultureInfo.InvariantCulture, $"Teacher '{teacher.Name}': {failures} of {samples.Count} requests failed (first: {firstError}); no reference answers from it."));
    }
}
