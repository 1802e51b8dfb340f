namespace LLMDistill.Evaluation.Judge;

/// <summary>One comparison to judge: a task with the student's and the teacher's answers.</summary>
/// <param name="Id">The sample id (for the per-pair results).</param>
/// <param name="Instruction">The task (with its input, if any).</param>
/// <param name="StudentAnswer">The student's answer.</param>
/// <param name="TeacherAnswer">The teacher's answer.</param>
public sealed record JudgePair(string Id, string Instruction, string StudentAnswer, string TeacherAnswer);
