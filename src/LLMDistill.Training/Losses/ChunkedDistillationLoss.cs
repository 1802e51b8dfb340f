using static TorchSharp.torch;

namespace LLMDistill.Losses;

/// <summary>
/// Token-level distillation over chunks of positions, so vocabulary-sized float32 logits of the student and the
/// teacher exist for one chunk at a time instead of for every position: peak extra memory is about
/// chunkSize × V × (a few floats) rather than N × V × (a few floats) per model.
/// </summary>
/// <remarks>
/// The forward pass computes each chunk's logits with the head under no_grad and keeps only scalar sums. The
/// backward pass recomputes one chunk at a time with autograd (as activation checkpointing does), back-propagates
/// it through the head at once (so the head's parameter gradients accumulate into their <c>.grad</c>) and hands
/// d loss / d hidden to the rest of the graph. The value and the gradients equal those of
/// <see cref="DistillationLosses.Evaluate"/> on head(hidden) with the same rows. Costs one extra head forward.
/// Use it with <c>loss.backward()</c>: <c>torch.autograd.grad</c> with explicit inputs would not see the head's
/// parameter gradients, and <c>studentHidden</c> must require grad for any gradient to flow.
/// </remarks>
public static class ChunkedDistillationLoss
{
    /// <summary>Default number of positions per chunk: 1024 positions × a 128k vocabulary × 4 bytes = 512 MiB per float32 tensor.</summary>
    public const int DefaultChunkSize = 1024;

    /// <summary>Evaluates <paramref name="objective"/> over <paramref name="studentHidden"/> in chunks of positions.</summary>
    /// <param name="studentHidden">
    /// The student's final hidden states (N, H) of the positions that count (see <see cref="DistillationLosses.SelectRows"/>),
    /// with autograd to the student.
    /// </param>
    /// <param name="studentHead">hidden (n, H) -> logits (n, V), e.g. the model's <c>LmHead</c>; any dtype (upcast per chunk).</param>
    /// <param name="teacher">The teacher's targets for the same N rows (dense logits, hidden + head, or sparse top-k).</param>
    /// <param name="objective">Terms and hyper-parameters.</param>
    /// <param name="labels">(N) int64; rows labelled -100 do not count. Required by CE and by the hard-label fallback.</param>
    /// <param name="chunkSize">Positions per chunk, ≥ 1.</param>
    /// <returns>The mean over counted rows (with autograd) and its detached parts.</returns>
    /// <exception cref="ArgumentException">Shapes disagree, a hyper-parameter is out of range, or a term needs what the targets lack.</exception>
    public static DistillationLossResult Compute(
        Tensor studentHidden,
        Func<Tensor, Tensor> studentHead,
        TeacherTargets teacher,
        DistillationObjective objective,
        Tensor? labels = null,
        int chunkSize = DefaultChunkSize)
    {
        ArgumentNullException.ThrowIfNull(studentHidden);
        ArgumentNullException.ThrowIfNull(studentHead);
        ArgumentNullException.ThrowIfNull(teacher);
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkSize);
        if (studentHidden.dim() != 2)
        {
            throw new ArgumentException($"studentHidden must be (N, H) (got {LossTensors.Shape(studentHidden)})", nameof(studentHidden));
        }

        var rows = studentHidden.shape[0];
        if (!teacher.Positions.SequenceEqual([rows]))
        {
            throw new ArgumentException($"the teacher has positions [{string.Join(", ", teacher.Positions)}], expected [{rows}]", nameof(teacher));
        }

        if (labels is not null)
        {
            LossTensors.CheckLabels(labels, [rows]);
        }

        ObjectiveRows.CheckCompatible(objective, teacher, labels is not null);
        var count = labels is null ? rows : labels.ne(DistillationLosses.IgnoreIndex).sum().item<long>();
        var state = new ChunkedLossState(studentHead, teacher, labels, objective, chunkSize, count);
        var total = ChunkedLossFunction.apply(studentHidden, state);
        var sums = state.ForwardSums!;
        var n = Math.Max(count, 1);
        return new DistillationLossResult(
            total,
            sums.Parts.ToDictionary(p => p.Key, p => p.Value / n),
            sums.Fallback is null ? null : sums.Fallback / n,
            sums.Confident is null ? null : sums.Confident / n,
            count);
    }
}
