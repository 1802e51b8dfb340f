using System.Text.Json;
using static TorchSharp.torch;

namespace LLMDistill.Losses.Reference;

/// <summary>Computes the six losses of reference cases in float64 with <see cref="DistillationLosses"/>, and writes them as JSON.</summary>
internal static class LossReferenceRunner
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static LossReferenceValues Compute(LossReferenceCase c)
    {
        ArgumentNullException.ThrowIfNull(c);
        using var scope = NewDisposeScope();
        var student = tensor(c.Student.ToArray(), [c.Batch, c.Time, c.Vocab], ScalarType.Float64);
        var teacher = tensor(c.Teacher.ToArray(), [c.Batch, c.Time, c.Vocab], ScalarType.Float64);
        var mask = tensor(c.Mask.ToArray(), [c.Batch, c.Time], ScalarType.Float64);
        var labels = tensor(c.Labels.ToArray(), [c.Batch, c.Time], ScalarType.Int64);
        return new LossReferenceValues(
            DistillationLosses.ForwardKl(student, teacher, mask, c.Tau).item<double>(),
            DistillationLosses.ReverseKl(student, teacher, mask, c.Tau).item<double>(),
            DistillationLosses.GeneralizedJsd(student, teacher, mask, c.Beta, c.Tau).item<double>(),
            DistillationLosses.TopKKl(student, teacher, c.K, mask, c.Tau).item<double>(),
            DistillationLosses.CrossEntropy(student, labels, mask).item<double>(),
            DistillationLosses.Hinton(student, teacher, labels, c.Alpha, c.Tau, mask).item<double>());
    }

    /// <summary>
    /// The first value differing from the case's expected value by more than <paramref name="tolerance"/>
    /// (absolute, or relative for values above 1), as "case i: 'name' = x, expected y"; null when all agree.
    /// </summary>
    public static string? FirstMismatch(LossReferenceCase c, LossReferenceValues actual, double tolerance)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(actual);
        if (c.Expected is null)
        {
            return null;
        }

        foreach (var ((name, value), (_, expected)) in actual.Fields.Zip(c.Expected.Fields))
        {
            if (!(Math.Abs(value - expected) <= tolerance * Math.Max(1, Math.Abs(expected))))
            {
                return $"case {c.Index}: '{name}' = {value:R}, expected {expected:R} (tolerance {tolerance:G})";
            }
        }

        return null;
    }

    /// <summary>Compact JSON <c>[{"forward_kl":..,"reverse_kl":..,"jsd":..,"topk_kl":..,"ce":..,"hinton":..},...]</c>, shortest round-trip numbers.</summary>
    public static string ToJson(IEnumerable<LossReferenceValues> values) => JsonSerializer.Serialize(values.ToList(), JsonOptions);
}
