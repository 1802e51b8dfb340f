using System.ComponentModel.DataAnnotations;

namespace LLMDistill.Training.Schedules;

/// <summary>
/// A scalar hyper-parameter as a pure function of the 0-based optimizer step: constant, linear from
/// <see cref="Start"/> to <see cref="End"/>, or staged (progressive, e.g. temperature 4 → 2 → 1). Used for the
/// distillation temperature and Hinton's α. Binds from configuration (e.g. <c>Train:Temperature</c>, stages as
/// <c>Stages:0:FromStep</c>/<c>Stages:0:Value</c>) and validates with <see cref="Configuration.OptionsBinder.Validate"/>;
/// range checks of the values themselves (τ &gt; 0, α ∈ [0, 1]) use <see cref="Bounds"/>.
/// </summary>
public sealed record ValueSchedule : IValidatableObject
{
    /// <summary>Shape of the schedule.</summary>
    /// <value><see cref="ValueScheduleKind.Constant"/>.</value>
    public ValueScheduleKind Kind { get; init; } = ValueScheduleKind.Constant;

    /// <summary>The value of Constant, and the start of Linear.</summary>
    /// <value>1.</value>
    public double Start { get; init; } = 1.0;

    /// <summary>The end value of Linear.</summary>
    /// <value>1.</value>
    public double End { get; init; } = 1.0;

    /// <summary>Step where the Linear change begins.</summary>
    /// <value>0.</value>
    [Range(0, long.MaxValue)]
    public long StartStep { get; init; }

    /// <summary>Step where the Linear change reaches <see cref="End"/>; must exceed <see cref="StartStep"/>.</summary>
    /// <value>1000.</value>
    [Range(0, long.MaxValue)]
    public long EndStep { get; init; } = 1000;

    /// <summary>Stages of Staged, in strictly increasing FromStep, the first from step 0.</summary>
    /// <value>Empty.</value>
    public IReadOnlyList<ScheduleStage> Stages { get; init; } = [];

    /// <summary>A constant schedule.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The schedule.</returns>
    public static ValueSchedule Constant(double value) => new() { Kind = ValueScheduleKind.Constant, Start = value, End = value };

    /// <summary>Linear from <paramref name="start"/> at <paramref name="startStep"/> to <paramref name="end"/> at <paramref name="endStep"/>.</summary>
    /// <param name="start">Value up to <paramref name="startStep"/>.</param>
    /// <param name="end">Value from <paramref name="endStep"/> on.</param>
    /// <param name="startStep">First step of the change.</param>
    /// <param name="endStep">Step where <paramref name="end"/> is reached.</param>
    /// <returns>The schedule.</returns>
    public static ValueSchedule Linear(double start, double end, long startStep, long endStep)
        => new() { Kind = ValueScheduleKind.Linear, Start = start, End = end, StartStep = startStep, EndStep = endStep };

    /// <summary>A staged schedule.</summary>
    /// <param name="stages">(FromStep, Value) pairs, FromStep strictly increasing from 0.</param>
    /// <returns>The schedule.</returns>
    public static ValueSchedule Staged(params ScheduleStage[] stages) => new() { Kind = ValueScheduleKind.Staged, Stages = stages };

    /// <summary>The value at 0-based step <paramref name="step"/>.</summary>
    /// <param name="step">Optimizer step, ≥ 0.</param>
    /// <returns>The value.</returns>
    /// <exception cref="InvalidOperationException">A Staged schedule without stages.</exception>
    public double At(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        switch (Kind)
        {
            case ValueScheduleKind.Linear:
                if (step <= StartStep)
                {
                    return Start;
                }

                return step >= EndStep ? End : Start + ((End - Start) * (step - StartStep) / (EndStep - StartStep));
            case ValueScheduleKind.Staged:
                if (Stages.Count == 0)
                {
                    throw new InvalidOperationException("a Staged schedule needs at least one stage");
                }

                var value = Stages[0].Value;
                foreach (var stage in Stages)
                {
                    if (stage.FromStep > step)
                    {
                        break;
                    }

                    value = stage.Value;
                }

                return value;
            default:
                return Start;
        }
    }

    /// <summary>The smallest and largest value the schedule takes.</summary>
    /// <returns>(min, max).</returns>
    public (double Min, double Max) Bounds()
    {
        IEnumerable<double> values = Kind switch
        {
            ValueScheduleKind.Linear => [Start, End],
            ValueScheduleKind.Staged => Stages.Select(s => s.Value).DefaultIfEmpty(double.NaN),
            _ => [Start],
        };
        var list = values.ToList();
        return (list.Min(), list.Max());
    }

    /// <inheritdoc/>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var values = Kind switch
        {
            ValueScheduleKind.Linear => [(nameof(Start), Start), (nameof(End), End)],
            ValueScheduleKind.Staged => Stages.Select((s, i) => ($"{nameof(Stages)}:{i}:{nameof(ScheduleStage.Value)}", s.Value)),
            _ => new[] { (nameof(Start), Start) },
        };
        foreach (var (name, value) in values)
        {
            if (!double.IsFinite(value))
            {
                yield return new ValidationResult($"must be a finite number (got {value})", [name]);
            }
        }

        if (Kind == ValueScheduleKind.Linear && EndStep <= StartStep)
        {
            yield return new ValidationResult($"must be greater than StartStep ({EndStep} <= {StartStep})", [nameof(EndStep)]);
        }

        if (Kind == ValueScheduleKind.Staged)
        {
            if (Stages.Count == 0 || Stages[0].FromStep != 0)
            {
                yield return new ValidationResult("needs at least one stage and the first must start at FromStep 0", [nameof(Stages)]);
            }

            for (var i = 1; i < Stages.Count; i++)
            {
                if (Stages[i].FromStep <= Stages[i - 1].FromStep)
                {
                    yield return new ValidationResult(
                        $"FromStep must increase strictly ({Stages[i].FromStep} after {Stages[i - 1].FromStep})", [$"{nameof(Stages)}:{i}:{nameof(ScheduleStage.FromStep)}"]);
                }
            }
        }
    }
}
