using static TorchSharp.torch;

namespace LLMDistill.Losses;

/// <summary>Cross-entropy, Hinton's combination, weighted sums and the objective evaluator.</summary>
public static partial class DistillationLosses
{
    /// <summary>
    /// Cross-entropy on labels, mean_valid(−log softmax(student)[label]), without temperature: sequence-level KD
    /// when the labels are the teacher's tokens.
    /// </summary>
    /// <param name="studentLogits">(B, T, V) or (N, V).</param>
    /// <param name="labels">(B, T) or (N) int64 in [0, V), or <see cref="IgnoreIndex"/>.</param>
    /// <param name="mask">(B, T) or (N), non-zero = counts; null = all positions with a label count.</param>
    /// <returns>0-dim loss.</returns>
    /// <exception cref="ArgumentException">A shape disagrees or a label is outside the vocabulary.</exception>
    public static Tensor CrossEntropy(Tensor studentLogits, Tensor labels, Tensor? mask = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        using var scope = NewDisposeScope();
        var objective = new DistillationObjective([new LossTerm(DistillationLossKind.CrossEntropy, 1)]);
        // CE reads no teacher; the student's logits only stand in so that the shapes check out.
        return Evaluate(studentLogits, TeacherTargets.FromLogits(studentLogits), objective, labels, mask).Total.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Hinton et al. 2015: α·CE(labels) + (1−α)·τ²·KL(p_t ‖ p_s), both means over the same counted positions.
    /// </summary>
    /// <param name="studentLogits">(B, T, V) or (N, V).</param>
    /// <param name="teacherLogits">Same shape as <paramref name="studentLogits"/>.</param>
    /// <param name="labels">(B, T) or (N) int64; <see cref="IgnoreIndex"/> excludes a position from both parts.</param>
    /// <param name="alpha">α in [0, 1], the weight of the hard-label CE.</param>
    /// <param name="temperature">Softmax temperature τ &gt; 0.</param>
    /// <param name="mask">(B, T) or (N), non-zero = counts; null = all positions count.</param>
    /// <returns>0-dim loss.</returns>
    public static Tensor Hinton(Tensor studentLogits, Tensor teacherLogits, Tensor labels, double alpha, double temperature, Tensor? mask = null)
    {
        ArgumentNullException.ThrowIfNull(teacherLogits);
        using var scope = NewDisposeScope();
        var result = Evaluate(studentLogits, TeacherTargets.FromLogits(teacherLogits), DistillationObjective.Hinton(alpha, temperature), labels, mask);
        return result.Total.MoveToOuterDisposeScope();
    }

    /// <summary>Weighted sum Σ w_i·L_i of 0-dim losses; terms with weight 0 are skipped (so an ∞ loss cannot give NaN).</summary>
    /// <param name="terms">The losses and their finite, non-negative weights; at least one.</param>
    /// <returns>0-dim loss.</returns>
    public static Tensor Combine(params ReadOnlySpan<(Tensor Loss, double Weight)> terms)
    {
        if (terms.IsEmpty)
        {
            throw new ArgumentException("Combine needs at least one term", nameof(terms));
        }

        Tensor? total = null;
        foreach (var (loss, weight) in terms)
        {
            ArgumentNullException.ThrowIfNull(loss, nameof(terms));
            if (!double.IsFinite(weight) || weight < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(terms), weight, "weights must be finite and >= 0");
            }

            if (loss.dim() != 0)
            {
                throw new ArgumentException($"Combine expects 0-dim losses (got {LossTensors.Shape(loss)})", nameof(terms));
            }

            if (weight > 0)
            {
                total = total is null ? loss * weight : total + (loss * weight);
            }
        }

        return total ?? terms[0].Loss * 0.0;
    }

    /// <summary>The teacher's largest probability per position (temperature 1), as confidence-selective KD uses it.</summary>
    /// <param name="teacherLogits">(B, T, V) or (N, V).</param>
    /// <returns>(B, T) or (N), float32 or float64.</returns>
    public static Tensor TeacherMaxProbability(Tensor teacherLogits)
    {
        ArgumentNullException.ThrowIfNull(teacherLogits);
        LossTensors.CheckLogits(teacherLogits, nameof(teacherLogits));
        using var scope = NewDisposeScope();
        return RowLosses.MaxProbability(LossTensors.Upcast(teacherLogits, LossTensors.ComputeType(teacherLogits))).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The rows of <paramref name="values"/> (B, T, ...) at the counted positions of <paramref name="mask"/> (B, T):
    /// (n, ...). Use it to gather the student's hidden states, the teacher's targets and the labels for
    /// <see cref="ChunkedDistillationLoss"/>.
    /// </summary>
    /// <param name="values">(B, T) or (B, T, ...).</param>
    /// <param name="mask">(B, T), non-zero = keep.</param>
    /// <returns>(n) or (n, ...), in position order.</returns>
    public static Tensor SelectRows(Tensor values, Tensor mask)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(mask);
        if (values.dim() < mask.dim() || !values.shape.AsSpan(0, (int)mask.dim()).SequenceEqual(mask.shape))
        {
            throw new ArgumentException($"values {LossTensors.Shape(values)} must start with the mask's shape {LossTensors.Shape(mask)}", nameof(values));
        }

        using var scope = NewDisposeScope();
        var index = LossTensors.CountedRows(mask.shape, mask, labels: null)!;
        var rows = values.reshape([-1, .. values.shape[(int)mask.dim()..]]);
        return rows.index_select(0, index).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Evaluates a weighted <see cref="DistillationObjective"/> on whole logits. Positions count where
    /// <paramref name="mask"/> is non-zero and the label is not <see cref="IgnoreIndex"/>; only those are computed.
    /// For long sequences over a large vocabulary use <see cref="ChunkedDistillationLoss.Compute"/>.
    /// </summary>
    /// <param name="studentLogits">(B, T, V) or (N, V), any floating dtype.</param>
    /// <param name="teacher">The teacher's targets for the same positions.</param>
    /// <param name="objective">Terms and hyper-parameters.</param>
    /// <param name="labels">(B, T) or (N) int64; required by CE and by the hard-label fallback.</param>
    /// <param name="mask">(B, T) or (N), non-zero = counts; null = all positions count.</param>
    /// <returns>The total (with autograd) and its detached parts.</returns>
    /// <exception cref="ArgumentException">Shapes disagree, a hyper-parameter is out of range, or a term needs what the targets lack.</exception>
    public static DistillationLossResult Evaluate(Tensor studentLogits, TeacherTargets teacher, DistillationObjective objective, Tensor? labels = null, Tensor? mask = null)
    {
        ArgumentNullException.ThrowIfNull(studentLogits);
        ArgumentNullException.ThrowIfNull(teacher);
        ArgumentNullException.ThrowIfNull(objective);
        LossTensors.CheckLogits(studentLogits, nameof(studentLogits));
        var positions = LossTensors.Positions(studentLogits);
        if (!teacher.Positions.SequenceEqual(positions))
        {
            throw new ArgumentException(
                $"the teacher's positions [{string.Join(", ", teacher.Positions)}] differ from the student's [{string.Join(", ", positions)}]", nameof(teacher));
        }

        ObjectiveRows.CheckCompatible(objective, teacher, labels is not null);
        using var scope = NewDisposeScope();
        var index = LossTensors.CountedRows(positions, mask, labels);
        var student = LossTensors.Select(LossTensors.Rows(studentLogits), index);           // (n, V)
        var rows = teacher.Take(index);
        var rowLabels = labels is null ? null : LossTensors.Select(labels.reshape(-1), index);  // (n)
        ObjectiveRows.CheckIds(rowLabels, rows, student.shape[^1]);
        var sums = ObjectiveRows.Compute(student, rows, rowLabels, objective);
        return ObjectiveRows.ToResult(sums, student.shape[0]);
    }
}
