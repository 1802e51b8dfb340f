namespace LLMDistill.Evaluation.Judge;

/// <summary>The verdicts on one pair.</summary>
/// <param name="Id">The sample id.</param>
/// <param name="StudentFirst">The student's result when its answer was shown as A.</param>
/// <param name="TeacherFirst">The student's result when its answer was shown as B.</param>
/// <param name="Outcome">The combined result (<see cref="PairwiseJudge.Combine"/>).</param>
/// <param name="Error">Why a verdict is missing, when <paramref name="Outcome"/> is <see cref="PairOutcome.Unjudged"/>.</param>
public sealed record JudgedPair(string Id, PairOutcome StudentFirst, PairOutcome TeacherFirst, PairOutcome Outcome, string? Error = null);
