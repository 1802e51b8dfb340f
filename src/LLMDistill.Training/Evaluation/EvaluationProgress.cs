namespace LLMDistill.Evaluation;

/// <summary>Progress of an evaluation: the stage and how far it is.</summary>
/// <param name="Stage">E.g. "load", "token-level", "generate student", "judge", "speed", "report".</param>
/// <param name="Done">Units done in this stage.</param>
/// <param name="Total">Units in this stage (0 when unknown).</param>
public sealed record EvaluationProgress(string Stage, int Done, int Total);
