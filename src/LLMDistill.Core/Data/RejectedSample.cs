using LLMDistill.Teachers;

namespace LLMDistill.Data;

/// <summary>
/// One line of <c>rejected.jsonl</c>: a candidate task (or answered sample) that did not make it into the dataset,
/// with the reason. Every candidate ends either as a sample or as exactly one of these.
/// </summary>
/// <param name="Key">The candidate's position in the run (<c>seed:file:line</c> or <c>x&lt;round&gt;.&lt;request&gt;.&lt;item&gt;</c>); unique per run.</param>
/// <param name="TaskId">Content hash of the task (mode + normalised text + input).</param>
/// <param name="Reason">A stable reason code such as <c>dedupe:near</c> or <c>filter:below-threshold</c> (see <c>RejectionReasons</c>).</param>
/// <param name="Detail">Human-readable detail (the similar task, the teacher error, the score), or null.</param>
/// <param name="Mode">Chat task or completion prefix.</param>
/// <param name="Instruction">The task text.</param>
/// <param name="Input">Optional input of the task.</param>
/// <param name="SeedId">The seed the task descends from.</param>
/// <param name="Category">Category for quotas.</param>
/// <param name="Origin">How the task was made.</param>
/// <param name="Scores">Teaching-value scores where the sample got that far.</param>
/// <param name="Teacher">The teacher whose answer was rejected, where there was one.</param>
/// <param name="Response">The rejected answer, where there was one.</param>
public sealed record RejectedSample(
    string Key,
    string TaskId,
    string Reason,
    string? Detail,
    TeacherMode Mode,
    string Instruction,
    string? Input,
    string SeedId,
    string? Category,
    string? Origin,
    TeachingScores? Scores = null,
    string? Teacher = null,
    string? Response = null);
