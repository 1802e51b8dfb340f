using System.ComponentModel.DataAnnotations;

namespace LLMDistill.Training.Schedules;

/// <summary>
/// Learning rate per optimizer step: linear warmup to <see cref="LearningRate"/>, then cosine, linear or constant
/// down to <see cref="MinLearningRate"/> at <see cref="TotalSteps"/>. Pure: <see cref="At"/> depends only on the
/// step, so a resumed run gets exactly the same rates. Binds from a configuration section (e.g. <c>Train:LearningRate</c>)
/// and validates with <see cref="Configuration.OptionsBinder.Validate"/>.
/// </summary>
public sealed record LearningRateSchedule : IValidatableObject
{
    /// <summary>Decay shape after warmup.</summary>
    /// <value><see cref="LearningRateScheduleKind.Cosine"/>.</value>
    public LearningRateScheduleKind Kind { get; init; } = LearningRateScheduleKind.Cosine;

    /// <summary>Peak learning rate, reached at the end of warmup.</summary>
    /// <value>6e-4.</value>
    [Range(double.Epsilon, 10.0)]
    public double LearningRate { get; init; } = 6e-4;

    /// <summary>Floor the decay ends at and stays at (often a tenth of the peak); ignored by Constant.</summary>
    /// <value>6e-5.</value>
    [Range(0.0, 10.0)]
    public double MinLearningRate { get; init; } = 6e-5;

    /// <summary>Steps of linear warmup: step s (0-based) gets peak·(s+1)/WarmupSteps, so the first step is not 0.</summary>
    /// <value>100.</value>
    [Range(0, int.MaxValue)]
    public int WarmupSteps { get; init; } = 100;

    /// <summary>Step at which the decay reaches the floor (usually the run's total steps).</summary>
    /// <value>5000.</value>
    [Range(1, int.MaxValue)]
    public int TotalSteps { get; init; } = 5000;

    /// <summary>The learning rate of 0-based optimizer step <paramref name="step"/>.</summary>
    /// <param name="step">Optimizer step, ≥ 0.</param>
    /// <returns>The learning rate.</returns>
    public double At(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        if (step < WarmupSteps)
        {
            return LearningRate * (step + 1) / WarmupSteps;
        }

        if (Kind == LearningRateScheduleKind.Constant)
        {
            return LearningRate;
        }

        if (step >= TotalSteps)
        {
            return MinLearningRate;
        }

        var progress = (double)(step - WarmupSteps) / (TotalSteps - WarmupSteps);     // in [0, 1)
        var coefficient = Kind == LearningRateScheduleKind.Cosine ? 0.5 * (1 + Math.Cos(Math.PI * progress)) : 1 - progress;
        return MinLearningRate + (coefficient * (LearningRate - MinLearningRate));
    }

    /// <inheritdoc/>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MinLearningRate > LearningRate)
        {
            yield return new ValidationResult(
                $"must not exceed LearningRate ({MinLearningRate} > {LearningRate})", [nameof(MinLearningRate)]);
        }

        if (Kind != LearningRateScheduleKind.Constant && WarmupSteps > TotalSteps)
        {
            yield return new ValidationResult($"must not exceed TotalSteps ({WarmupSteps} > {TotalSteps})", [nameof(WarmupSteps)]);
        }
    }
}
