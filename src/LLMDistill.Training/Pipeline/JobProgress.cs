using LLMDistill.Evaluation;
using LLMDistill.Generation;
using LLMDistill.Training;

namespace LLMDistill.Pipeline;

/// <summary>Progress of the <c>run</c> job: which stage of how many, the job's elapsed time, and the stage's own progress.</summary>
/// <param name="Stage">1-based index of the stage.</param>
/// <param name="Stages">Stages in the job.</param>
/// <param name="Name">The stage (<c>generate</c>, <c>split</c>, <c>train kd</c>, ..., <c>eval</c>).</param>
/// <param name="Kind">What happened.</param>
/// <param name="Elapsed">Time since the job started.</param>
/// <param name="Message">A one-line summary (what a stage produced, why it was skipped).</param>
/// <param name="Generation">The generation snapshot (generate stage).</param>
/// <param name="Training">The trainer's report (train stages).</param>
/// <param name="Evaluation">The evaluator's report (eval stage).</param>
public sealed record JobProgress(
    int Stage,
    int Stages,
    string Name,
    JobProgressKind Kind,
    TimeSpan Elapsed,
    string? Message = null,
    GenerationProgress? Generation = null,
    TrainingProgress? Training = null,
    EvaluationProgress? Evaluation = null);
