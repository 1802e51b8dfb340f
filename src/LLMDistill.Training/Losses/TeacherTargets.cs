using static TorchSharp.torch;

namespace LLMDistill.Losses;

/// <summary>
/// The teacher's side of a distillation loss, for the same positions as the student: dense logits, logits
/// computed on demand from the teacher's hidden states (chunk by chunk, under no_grad), or sparse top-k
/// log-probabilities. The tensors are borrowed, not owned: the caller disposes them.
/// </summary>
public sealed class TeacherTargets
{
    private readonly Tensor? _logits;                 // (R, V)
    private readonly Tensor? _hidden;                 // (R, H)
    private readonly Func<Tensor, Tensor>? _head;
    private readonly Tensor? _ids;                    // (R, k) int64
    private readonly Tensor? _logprobs;               // (R, k)
    private readonly Tensor? _valid;                  // (R, k) bool

    private TeacherTargets(long[] positions, Tensor? logits, Tensor? hidden, Func<Tensor, Tensor>? head, Tensor? ids, Tensor? logprobs, Tensor? valid)
    {
        Positions = positions;
        _logits = logits;
        _hidden = hidden;
        _head = head;
        _ids = ids;
        _logprobs = logprobs;
        _valid = valid;
    }

    /// <summary>Whether the targets are sparse top-k (only <see cref="DistillationLossKind.TopKKl"/> and CE apply).</summary>
    public bool IsSparse => _ids is not null;

    /// <summary>The position dimensions, e.g. [B, T] or [N].</summary>
    internal long[] Positions { get; }

    /// <summary>Number of slots k of sparse targets; 0 when dense.</summary>
    internal long SlotCount => _ids?.shape[^1] ?? 0;

    /// <summary>Dense teacher logits (B, T, V) or (N, V), any floating dtype (bf16 is upcast chunk by chunk).</summary>
    /// <param name="logits">The teacher's logits for the same positions as the student.</param>
    /// <returns>The targets.</returns>
    public static TeacherTargets FromLogits(Tensor logits)
    {
        ArgumentNullException.ThrowIfNull(logits);
        LossTensors.CheckLogits(logits, nameof(logits));
        return new TeacherTargets(LossTensors.Positions(logits), LossTensors.Rows(logits), null, null, null, null, null);
    }

    /// <summary>
    /// Teacher logits computed as <paramref name="head"/>(hidden rows) for each chunk under no_grad, so the
    /// teacher's vocabulary-sized tensor exists for one chunk at a time.
    /// </summary>
    /// <param name="hidden">The teacher's final hidden states (N, H) (or (B, T, H)) for the same positions.</param>
    /// <param name="head">hidden (n, H) -> logits (n, V), e.g. the teacher model's <c>LmHead</c>.</param>
    /// <returns>The targets.</returns>
    public static TeacherTargets FromHidden(Tensor hidden, Func<Tensor, Tensor> head)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        ArgumentNullException.ThrowIfNull(head);
        LossTensors.CheckLogits(hidden, nameof(hidden));
        return new TeacherTargets(LossTensors.Positions(hidden), null, LossTensors.Rows(hidden), head, null, null, null);
    }

    /// <summary>
    /// Sparse targets: the teacher's log-probabilities (at temperature 1) at its top-k token ids, e.g. an API's
    /// <c>top_logprobs</c> or a local teacher's stored top-k. Ids in a row must be distinct.
    /// </summary>
    /// <param name="topIds">(B, T, k) or (N, k) int64 token ids.</param>
    /// <param name="topLogprobs">(B, T, k) or (N, k) log-probabilities; -inf means probability 0.</param>
    /// <param name="slotMask">Optional (B, T, k) or (N, k) validity of each slot (non-zero = real); padded slots are ignored.</param>
    /// <returns>The targets.</returns>
    public static TeacherTargets FromTopK(Tensor topIds, Tensor topLogprobs, Tensor? slotMask = null)
    {
        ArgumentNullException.ThrowIfNull(topIds);
        ArgumentNullException.ThrowIfNull(topLogprobs);
        if (topIds.dtype != ScalarType.Int64)
        {
            throw new ArgumentException($"topIds must be int64 (got {topIds.dtype})", nameof(topIds));
        }

        LossTensors.CheckLogits(topLogprobs, nameof(topLogprobs));
        if (!topIds.shape.SequenceEqual(topLogprobs.shape))
        {
            throw new ArgumentException(
                $"topIds and topLogprobs must have the same shape (got {LossTensors.Shape(topIds)} and {LossTensors.Shape(topLogprobs)})", nameof(topLogprobs));
        }

        if (slotMask is not null)
        {
            LossTensors.CheckPositions(slotMask, topIds.shape, nameof(slotMask));
        }

        var k = topIds.shape[^1];
        var valid = slotMask is null ? ones(topIds.shape, ScalarType.Bool, topIds.device) : slotMask.dtype == ScalarType.Bool ? slotMask : slotMask.ne(0);
        return new TeacherTargets(LossTensors.Positions(topIds), null, null, null, topIds.reshape(-1, k), topLogprobs.reshape(-1, k), valid.reshape(-1, k));
    }

    /// <summary>The rows at <paramref name="index"/> (n) int64, or every row when null.</summary>
    internal TeacherChunk Take(Tensor? index) => Chunk(t => LossTensors.Select(t, index));

    /// <summary>Rows [start, start + length).</summary>
    internal TeacherChunk Slice(long start, long length) => Chunk(t => t.narrow(0, start, length));

    private TeacherChunk Chunk(Func<Tensor, Tensor> rows)
    {
        if (_ids is not null)
        {
            return new TeacherChunk(null, rows(_ids), rows(_logprobs!), rows(_valid!));
        }

        if (_logits is not null)
        {
            return new TeacherChunk(rows(_logits), null, null, null);
        }

        using var noGrad = no_grad();
        return new TeacherChunk(_head!(rows(_hidden!)), null, null, null);
    }
}
