using static TorchSharp.torch;

namespace LLMDistill.Losses;

/// <summary>Everything <see cref="ChunkedLossFunction"/> needs besides the hidden states (non-tensor state of the autograd node).</summary>
internal sealed class ChunkedLossState(
    Func<Tensor, Tensor> head, TeacherTargets teacher, Tensor? labels, DistillationObjective objective, int chunkSize, long count)
{
    public Func<Tensor, Tensor> Head { get; } = head;

    public TeacherTargets Teacher { get; } = teacher;

    public Tensor? Labels { get; } = labels;

    public DistillationObjective Objective { get; } = objective;

    public int ChunkSize { get; } = chunkSize;

    /// <summary>Counted rows: the denominator of the mean.</summary>
    public long Count { get; } = count;

    /// <summary>Detached sums over all chunks, written by the forward pass.</summary>
    public ObjectiveRows.Sums? ForwardSums { get; set; }

    /// <summary>Chunk boundaries [start, start + length); one empty chunk when there are no rows.</summary>
    public IEnumerable<(long Start, long Length)> Chunks(long rows)
    {
        if (rows == 0)
        {
            yield return (0, 0);
        }

        for (long start = 0; start < rows; start += ChunkSize)
        {
            yield return (start, Math.Min(ChunkSize, rows - start));
        }
    }

    /// <summary>The objective's sums on rows [start, start + length) of <paramref name="hidden"/>.</summary>
    public ObjectiveRows.Sums ChunkSums(Tensor hidden, long start, long length, bool checkIds)
    {
        var logits = Head(hidden);                                   // (n, V)
        var teacher = Teacher.Slice(start, length);
        var labels = Labels?.narrow(0, start, length);
        if (checkIds)
        {
            ObjectiveRows.CheckIds(labels, teacher, logits.shape[^1]);
        }

        return ObjectiveRows.Compute(logits, teacher, labels, Objective);
    }
}
