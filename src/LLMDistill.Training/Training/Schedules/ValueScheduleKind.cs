namespace LLMDistill.Training.Schedules;

/// <summary>Shape of a hyper-parameter schedule (distillation temperature, Hinton α, ...).</summary>
public enum ValueScheduleKind
{
    /// <summary><see cref="ValueSchedule.Start"/> at every step.</summary>
    Constant,

    /// <summary>
    /// <see cref="ValueSchedule.Start"/> until <see cref="ValueSchedule.StartStep"/>, linear to
    /// <see cref="ValueSchedule.End"/> at <see cref="ValueSchedule.EndStep"/>, then <see cref="ValueSchedule.End"/>.
    /// </summary>
    Linear,

    /// <summary>Staged (progressive): the value of the last stage whose FromStep ≤ step.</summary>
    Staged,
}
