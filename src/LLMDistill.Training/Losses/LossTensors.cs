using TorchSharp;
using static TorchSharp.torch;

namespace LLMDistill.Losses;

/// <summary>Shape checks, upcasting and row selection shared by the loss functions.</summary>
internal static class LossTensors
{
    /// <summary>float64 stays float64; every other floating type (bf16, fp16, fp32) is computed in float32.</summary>
    public static ScalarType ComputeType(Tensor t) => t.dtype == ScalarType.Float64 ? ScalarType.Float64 : ScalarType.Float32;

    public static Tensor Upcast(Tensor t, ScalarType type) => t.dtype == type ? t : t.to_type(type);

    public static string Shape(Tensor t) => "[" + string.Join(", ", t.shape) + "]";

    public static void CheckTemperature(double temperature)
    {
        if (!double.IsFinite(temperature) || temperature <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "temperature must be a finite number > 0");
        }
    }

    public static void CheckUnitInterval(double value, string name)
    {
        if (!(value >= 0 && value <= 1))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, 1]");
        }
    }

    public static void CheckLogits(Tensor logits, string name)
    {
        if (logits.dim() < 2)
        {
            throw new ArgumentException($"{name} must have shape (B, T, V) or (N, V) (got {Shape(logits)})", name);
        }

        if (!logits.is_floating_point())
        {
            throw new ArgumentException($"{name} must be a floating-point tensor (got {logits.dtype})", name);
        }
    }

    public static void CheckSameShape(Tensor studentLogits, Tensor teacherLogits)
    {
        if (!studentLogits.shape.SequenceEqual(teacherLogits.shape))
        {
            throw new ArgumentException(
                $"studentLogits and teacherLogits must have the same shape (got {Shape(studentLogits)} and {Shape(teacherLogits)})", nameof(teacherLogits));
        }
    }

    /// <summary>The leading (position) dimensions of a (..., V) tensor.</summary>
    public static long[] Positions(Tensor logits) => logits.shape[..^1];

    /// <summary>(..., V) -> (N, V).</summary>
    public static Tensor Rows(Tensor logits) => logits.reshape(-1, logits.shape[^1]);

    /// <summary>
    /// Indices (n) int64 of the positions that count: <paramref name="mask"/> non-zero and, when labels are given,
    /// label != <see cref="DistillationLosses.IgnoreIndex"/>. Null means every position counts.
    /// </summary>
    public static Tensor? CountedRows(long[] positions, Tensor? mask, Tensor? labels)
    {
        Tensor? keep = null;
        if (mask is not null)
        {
            CheckPositions(mask, positions, "mask");
            keep = mask.dtype == ScalarType.Bool ? mask : mask.ne(0);
        }

        if (labels is not null)
        {
            CheckLabels(labels, positions);
            var notIgnored = labels.ne(DistillationLosses.IgnoreIndex);
            keep = keep is null ? notIgnored : keep.logical_and(notIgnored);
        }

        // nonzero() returns (n, 1); the host sync it implies is the price of never computing on padding.
        return keep?.reshape(-1).nonzero().reshape(-1);
    }

    public static Tensor Select(Tensor rows, Tensor? index) => index is null ? rows : rows.index_select(0, index);

    public static void CheckPositions(Tensor t, long[] positions, string name)
    {
        if (!t.shape.SequenceEqual(positions))
        {
            throw new ArgumentException($"{name} must have shape [{string.Join(", ", positions)}] (got {Shape(t)})", name);
        }
    }

    public static void CheckLabels(Tensor labels, long[] positions)
    {
        CheckPositions(labels, positions, "labels");
        if (labels.dtype != ScalarType.Int64)
        {
            throw new ArgumentException($"labels must be int64 (got {labels.dtype})", nameof(labels));
        }
    }

    /// <summary>Checks that every id that is used lies in [0, vocab); one host sync.</summary>
    public static void CheckIds(Tensor ids, Tensor used, long vocab, string name)
    {
        if (ids.numel() == 0)
        {
            return;
        }

        using var scope = NewDisposeScope();
        var outOfRange = ids.lt(0).logical_or(ids.ge(vocab)).logical_and(used);
        if (outOfRange.any().item<bool>())
        {
            var bad = ids.masked_select(outOfRange)[0].item<long>();
            throw new ArgumentException($"{name} contains id {bad}, outside the vocabulary [0, {vocab})", name);
        }
    }

    /// <summary>Sum over counted rows divided by their number; 0 (not NaN) when nothing counts.</summary>
    public static Tensor MeanOverRows(Tensor rowSum, long count) => rowSum / Math.Max(count, 1);
}
