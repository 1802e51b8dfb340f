namespace LLMDistill.Training.Schedules;

/// <summary>Shape of the learning rate after the linear warmup.</summary>
public enum LearningRateScheduleKind
{
    /// <summary>Cosine decay from the peak to the floor over [WarmupSteps, TotalSteps], then the floor (nanoGPT).</summary>
    Cosine,

    /// <summary>Linear decay from the peak to the floor over [WarmupSteps, TotalSteps], then the floor.</summary>
    Linear,

    /// <summary>The peak, constant after warmup.</summary>
    Constant,
}
