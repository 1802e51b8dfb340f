namespace LLMDistill.Training.Schedules;

/// <summary>One stage of a staged schedule: <paramref name="Value"/> from step <paramref name="FromStep"/> on.</summary>
/// <param name="FromStep">First 0-based step of the stage.</param>
/// <param name="Value">The value during the stage.</param>
public sealed record ScheduleStage(long FromStep, double Value);
