using static TorchSharp.torch;

namespace LLMDistill.Losses;

/// <summary>
/// Evaluates a <see cref="DistillationObjective"/> on one set of rows and returns sums over the rows (not yet
/// divided by the count), so whole-tensor and chunked evaluation add up to the same value.
/// </summary>
internal static class ObjectiveRows
{
    /// <summary>Sums over the rows of one call; <see cref="Parts"/> are unweighted.</summary>
    internal sealed record Sums(Tensor Total, Dictionary<DistillationLossKind, Tensor> Parts, Tensor? Fallback, Tensor? Confident);

    /// <summary>Throws when the objective cannot be evaluated with these targets; call once before evaluating.</summary>
    public static void CheckCompatible(DistillationObjective objective, TeacherTargets teacher, bool hasLabels)
    {
        objective.Validate();
        if (objective.NeedsLabels && !hasLabels)
        {
            throw new ArgumentException("the objective has a cross-entropy term (or the hard-label fallback) and needs labels");
        }

        if (!teacher.IsSparse)
        {
            if (objective.ActiveTerms.Any(t => t.Kind == DistillationLossKind.TopKKl) && objective.TopK == 0)
            {
                throw new ArgumentException("TopKKl with dense teacher logits needs TopK > 0", nameof(objective));
            }

            return;
        }

        var dense = objective.ActiveTerms.FirstOrDefault(t => t.Kind is not (DistillationLossKind.TopKKl or DistillationLossKind.CrossEntropy));
        if (dense is not null)
        {
            throw new ArgumentException($"{dense.Kind} needs the teacher's full distribution; with sparse top-k targets use TopKKl", nameof(objective));
        }

        if (objective.MissingMass == SparseMissingMass.OtherBucket && objective.Temperature != 1)
        {
            throw new ArgumentException(
                $"MissingMass OtherBucket needs Temperature 1 (got {objective.Temperature}): the teacher's tail mass at another temperature is unknown; use Renormalize",
                nameof(objective));
        }
    }

    /// <summary>Checks labels (n) and sparse ids against the vocabulary; one host sync each.</summary>
    public static void CheckIds(Tensor? labels, TeacherChunk teacher, long vocab)
    {
        if (labels is not null)
        {
            LossTensors.CheckIds(labels, labels.ne(DistillationLosses.IgnoreIndex), vocab, "labels");
        }

        if (teacher.Ids is not null)
        {
            LossTensors.CheckIds(teacher.Ids, teacher.Valid!, vocab, "topIds");
        }
        else if (teacher.Logits is not null && teacher.Logits.shape[^1] != vocab)
        {
            throw new ArgumentException($"teacher vocabulary {teacher.Logits.shape[^1]} differs from the student's {vocab}", nameof(teacher));
        }
    }

    /// <param name="studentLogits">(n, V) any floating dtype; computed in float32 (float64 when given float64).</param>
    /// <param name="teacher">The teacher's targets for the same n rows.</param>
    /// <param name="labels">(n) int64 or null; rows labelled -100 contribute nothing.</param>
    /// <param name="objective">A validated, compatible objective.</param>
    public static Sums Compute(Tensor studentLogits, TeacherChunk teacher, Tensor? labels, DistillationObjective objective)
    {
        var type = LossTensors.ComputeType(studentLogits);
        var student = LossTensors.Upcast(studentLogits, type);
        var teacherLogits = teacher.Logits is null ? null : LossTensors.Upcast(teacher.Logits, type);
        var counted = labels?.ne(DistillationLosses.IgnoreIndex);                          // (n) bool
        var confident = Confident(teacherLogits, teacher, type, objective);                 // (n) bool
        var tau = objective.Temperature;

        // Log-probabilities are computed once per call and shared by the terms that need them.
        var logPs = new Lazy<Tensor>(() => RowLosses.LogSoftmax(student, tau));                          // (n, V)
        var logPt = new Lazy<Tensor>(() => RowLosses.LogSoftmax(teacherLogits!, tau));                   // (n, V)
        var logPs1 = tau == 1 ? logPs : new Lazy<Tensor>(() => student.log_softmax(-1));                 // (n, V)

        var parts = new Dictionary<DistillationLossKind, Tensor>();
        var total = zeros([], type, student.device);
        var softWeight = 0.0;
        foreach (var term in objective.ActiveTerms)
        {
            var soft = term.Kind != DistillationLossKind.CrossEntropy;
            var rows = !soft ? RowLosses.CrossEntropy(logPs1.Value, labels!)
                : teacherLogits is not null ? DenseRows(term.Kind, logPs.Value, logPt.Value, objective)
                : SparseRows(logPs.Value, teacher, type, objective);
            var sum = SumWhere(rows, soft ? And(counted, confident) : counted);
            parts[term.Kind] = sum;
            total += sum * term.Weight;
            softWeight += soft ? term.Weight : 0;
        }

        Tensor? fallback = null;
        if (confident is not null && objective.LowConfidence == LowConfidenceFallback.HardLabels && softWeight > 0)
        {
            fallback = SumWhere(RowLosses.CrossEntropy(logPs1.Value, labels!), And(counted, confident.logical_not()));
            total += fallback * softWeight;
        }

        var confidentCount = confident is null ? null : SumWhere(confident.to_type(type), counted);
        return new Sums(total, parts, fallback, confidentCount);
    }

    /// <summary>Divides the sums by the count and moves the result out of the caller's dispose scope.</summary>
    public static DistillationLossResult ToResult(Sums sums, long count)
    {
        var n = Math.Max(count, 1);
        var parts = sums.Parts.ToDictionary(p => p.Key, p => (p.Value.detach() / n).MoveToOuterDisposeScope());
        return new DistillationLossResult(
            (sums.Total / n).MoveToOuterDisposeScope(),
            parts,
            sums.Fallback is null ? null : (sums.Fallback.detach() / n).MoveToOuterDisposeScope(),
            sums.Confident is null ? null : (sums.Confident.detach() / n).MoveToOuterDisposeScope(),
            count);
    }

    private static Tensor DenseRows(DistillationLossKind kind, Tensor logPs, Tensor logPt, DistillationObjective o) => kind switch
    {
        DistillationLossKind.ForwardKl => RowLosses.ForwardKl(logPs, logPt, o.Temperature),
        DistillationLossKind.ReverseKl => RowLosses.ReverseKl(logPs, logPt, o.Temperature),
        DistillationLossKind.GeneralizedJsd => RowLosses.GeneralizedJsd(logPs, logPt, o.Beta),
        DistillationLossKind.TopKKl => RowLosses.TopKKl(logPs, logPt, (int)Math.Min(o.TopK, logPs.shape[^1]), o.Temperature),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a soft loss"),
    };

    private static Tensor SparseRows(Tensor logPs, TeacherChunk teacher, ScalarType type, DistillationObjective o)
    {
        var (ids, logprobs, valid) = (teacher.Ids!, LossTensors.Upcast(teacher.Logprobs!, type), teacher.Valid!);
        if (o.TopK > 0 && o.TopK < ids.shape[^1])
        {
            // The best TopK valid slots; padded slots sort last because they become -inf.
            var (best, slots) = logprobs.masked_fill(valid.logical_not(), double.NegativeInfinity).topk(o.TopK, dim: -1);
            (ids, logprobs, valid) = (ids.gather(-1, slots), best, valid.gather(-1, slots));
        }

        return RowLosses.SparseTopKKl(logPs, ids, logprobs, valid, o.Temperature, o.MissingMass);
    }

    private static Tensor? Confident(Tensor? teacherLogits, TeacherChunk teacher, ScalarType type, DistillationObjective o)
    {
        if (o.ConfidenceThreshold is not { } threshold)
        {
            return null;
        }

        var maxProbability = teacherLogits is not null
            ? RowLosses.MaxProbability(teacherLogits)
            : RowLosses.MaxProbability(LossTensors.Upcast(teacher.Logprobs!, type), teacher.Valid!);
        return maxProbability.ge(threshold);
    }

    private static Tensor? And(Tensor? a, Tensor? b) => a is null ? b : b is null ? a : a.logical_and(b);

    // masked_fill rather than a product, so a non-finite value at an excluded row cannot leak in as NaN.
    private static Tensor SumWhere(Tensor rows, Tensor? keep) => keep is null ? rows.sum() : rows.masked_fill(keep.logical_not(), 0).sum();
}
