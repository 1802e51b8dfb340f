using LLMDistill.Data;
using LLMDistill.Generation.MultiTeacher;

namespace LLMDistill.Generation.Pipeline;

/// <summary>
/// A task after dedupe, carrying its ordinal (canonical position) through answer, score and filter. Exactly one of
/// the outcome fields is set by the time it reaches the filter.
/// </summary>
/// <param name="Ordinal">Position in canonical order: the filter decides strictly in this order.</param>
/// <param name="Task">The task.</param>
/// <param name="Resolved">Its outcome is already on disk from an earlier run (not written again).</param>
/// <param name="Answers">Answers per teacher, in AnswerTeachers order (after the answer stage).</param>
/// <param name="Sample">The scored sample (after the score stage).</param>
/// <param name="Rejected">Its rejection.</param>
/// <param name="Fresh">Admitted for teacher work (not decided before admission), counted in flight until the filter takes it.</param>
internal sealed record WorkItem(
    long Ordinal,
    TaskCandidate Task,
    ResolvedTask? Resolved = null,
    IReadOnlyList<AnswerAttempt>? Answers = null,
    DistillationSample? Sample = null,
    RejectedSample? Rejected = null,
    bool Fresh = false);

/// <summary>A decision found on disk: kept (in a shard) or rejected after admission.</summary>
internal sealed record ResolvedTask(bool Kept, string? Reason, TeachingScores? Scores);

/// <summary>One teacher's answer or failure.</summary>
internal sealed record AnswerAttempt(string Teacher, Teachers.TeacherResponse? Response, Teachers.SamplingParameters Sampling, string? FailureReason, string? FailureDetail)
{
    public TeacherAnswerCandidate ToCandidate(TeachingScores scores)
        => new(Teacher, Response!.Model, Response.Choices[0].Text, Response.Choices[0].FinishReason, scores, Response.Choices[0].Logprobs, Sampling);
}
