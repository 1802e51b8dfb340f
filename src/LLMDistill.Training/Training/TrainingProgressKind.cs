namespace LLMDistill.Training;

/// <summary>Kinds of <see cref="TrainingProgress"/>.</summary>
public enum TrainingProgressKind
{
    /// <summary>Models and data are loaded; <see cref="TrainingProgress.Message"/> summarises the run.</summary>
    Started,

    /// <summary>A logged training step (every <c>Train:LogEvery</c> steps).</summary>
    Step,

    /// <summary>A held-out evaluation finished.</summary>
    Evaluation,

    /// <summary>A checkpoint was written; the message is its directory.</summary>
    Checkpoint,

    /// <summary>The run finished and the student was exported; the message is its directory.</summary>
    Completed,
}
