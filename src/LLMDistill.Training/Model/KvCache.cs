using static TorchSharp.torch;

namespace LLMDistill.Model;

/// <summary>
/// Keys and values of past positions, one pair per layer, stored in preallocated buffers (B, kv_heads, capacity, D)
/// that grow by doubling, so a decoding step writes one position in place instead of concatenating the whole past.
/// For inference only (run under <c>torch.no_grad()</c> or <c>torch.inference_mode()</c>). Not thread-safe.
/// </summary>
public sealed class KvCache : IDisposable
{
    private readonly Tensor?[] _keys;
    private readonly Tensor?[] _values;
    private readonly long[] _lengths;
    private long _capacity;
    private bool _disposed;

    /// <summary>Creates an empty cache.</summary>
    /// <param name="numLayers">Number of decoder layers of the model it serves.</param>
    /// <param name="initialCapacity">Positions to allocate on first use (prompt + new tokens avoids any regrowth).</param>
    public KvCache(int numLayers, long initialCapacity = 256)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numLayers);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(initialCapacity);
        _keys = new Tensor?[numLayers];
        _values = new Tensor?[numLayers];
        _lengths = new long[numLayers];
        _capacity = initialCapacity;
    }

    /// <summary>Number of layers.</summary>
    public int NumLayers => _keys.Length;

    /// <summary>Positions stored by every layer: the past length the next forward pass continues from.</summary>
    public long Length => _lengths[^1];

    /// <summary>Rows in the cache (0 before the first forward pass).</summary>
    public long BatchSize => _keys[0]?.shape[0] ?? 0;

    /// <summary>
    /// Appends this step's keys and values of one layer and returns views of the whole sequence so far.
    /// </summary>
    /// <param name="layer">Layer index.</param>
    /// <param name="keys">(B, kv_heads, T, D).</param>
    /// <param name="values">(B, kv_heads, T, D).</param>
    /// <returns>Views (B, kv_heads, past + T, D) into the cache; they belong to the caller's dispose scope.</returns>
    internal (Tensor Keys, Tensor Values) Append(int layer, Tensor keys, Tensor values)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var length = _lengths[layer];
        var steps = keys.shape[2];
        if (_keys[layer] is { } existing && existing.shape[0] != keys.shape[0])
        {
            throw new InvalidOperationException($"KV cache holds {existing.shape[0]} rows but the input has {keys.shape[0]}");
        }

        EnsureCapacity(layer, keys, length + steps);
        var k = _keys[layer]!;
        var v = _values[layer]!;
        using (var kSlot = k.narrow(2, length, steps))
        using (var vSlot = v.narrow(2, length, steps))
        {
            kSlot.copy_(keys);
            vSlot.copy_(values);
        }

        _lengths[layer] = length + steps;
        return (k.narrow(2, 0, length + steps), v.narrow(2, 0, length + steps)); // (B, kv_heads, past + T, D)
    }

    /// <summary>
    /// Keeps only the given rows (e.g. drops finished sequences so later steps compute fewer rows).
    /// </summary>
    /// <param name="rows">int64 indices of the rows to keep, on the cache's device, in their new order.</param>
    public void SelectRows(Tensor rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ObjectDisposedException.ThrowIf(_disposed, this);
        for (var layer = 0; layer < _keys.Length; layer++)
        {
            _keys[layer] = Select(_keys[layer], rows, layer);
            _values[layer] = Select(_values[layer], rows, layer);
        }
    }

    /// <summary>
    /// Appends the rows of <paramref name="other"/> after this cache's rows (continuous batching: sequences joining a
    /// running batch). The shorter of the two is left-padded with zeros so both end at the same position; callers mask
    /// the padding. <paramref name="other"/> is left unchanged.
    /// </summary>
    /// <param name="other">A cache of the same model, filled by at least one forward pass.</param>
    internal void AppendRows(KvCache other)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ObjectDisposedException.ThrowIf(other._disposed, other);
        if (other.NumLayers != NumLayers || other._keys[0] is null)
        {
            throw new ArgumentException($"cannot append a cache of {other.NumLayers} layers (filled: {other._keys[0] is not null}) to one of {NumLayers}", nameof(other));
        }

        for (var layer = 0; layer < _keys.Length; layer++)
        {
            long mine = _lengths[layer], theirs = other._lengths[layer];
            var length = Math.Max(mine, theirs);
            var capacity = Math.Max(_keys[layer]?.shape[2] ?? 0, length + (other._keys[layer]!.shape[2] - theirs));
            _keys[layer] = Stack(_keys[layer], mine, other._keys[layer]!, theirs, length, capacity);
            _values[layer] = Stack(_values[layer], mine, other._values[layer]!, theirs, length, capacity);
            _lengths[layer] = length;
        }

        _capacity = Math.Max(_capacity, _keys[0]!.shape[2]);
    }

    /// <summary>Drops the first <paramref name="count"/> positions of every row (padding that no row attends to any more).</summary>
    /// <param name="count">Positions to drop, at most <see cref="Length"/>.</param>
    internal void TrimLeft(long count)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Length);
        if (count == 0)
        {
            return;
        }

        for (var layer = 0; layer < _keys.Length; layer++)
        {
            _keys[layer] = Shift(_keys[layer], count, _lengths[layer]);
            _values[layer] = Shift(_values[layer], count, _lengths[layer]);
            _lengths[layer] -= count;
        }
    }

    /// <summary>Frees the cache buffers.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        for (var layer = 0; layer < _keys.Length; layer++)
        {
            _keys[layer]?.Dispose();
            _values[layer]?.Dispose();
            _keys[layer] = _values[layer] = null;
        }
    }

    private Tensor? Select(Tensor? buffer, Tensor rows, int layer)
    {
        if (buffer is null)
        {
            return null;
        }

        // Copy only the filled prefix; the rest of the capacity is fresh memory.
        using var filled = buffer.narrow(2, 0, _lengths[layer]);
        using var kept = filled.index_select(0, rows);
        var shape = buffer.shape;
        shape[0] = rows.shape[0];
        var next = empty(shape, buffer.dtype, buffer.device).DetachFromDisposeScope();
        using (var slot = next.narrow(2, 0, _lengths[layer]))
        {
            slot.copy_(kept);
        }

        buffer.Dispose();
        return next;
    }

    // (B1 + B2, kv_heads, capacity, D): each part right-aligned at `length`, zeros before it so masked padding is finite.
    private static Tensor Stack(Tensor? top, long topLength, Tensor bottom, long bottomLength, long length, long capacity)
    {
        var topRows = top?.shape[0] ?? 0;
        var shape = bottom.shape;
        shape[0] = topRows + bottom.shape[0];
        shape[2] = capacity;
        var next = zeros(shape, bottom.dtype, bottom.device).DetachFromDisposeScope();
        if (top is not null)
        {
            using var src = top.narrow(2, 0, topLength);
            using var rows = next.narrow(0, 0, topRows);
            using var dst = rows.narrow(2, length - topLength, topLength);
            dst.copy_(src);
            top.Dispose();
        }

        using (var src = bottom.narrow(2, 0, bottomLength))
        using (var rows = next.narrow(0, topRows, bottom.shape[0]))
        using (var dst = rows.narrow(2, length - bottomLength, bottomLength))
        {
            dst.copy_(src);
        }

        return next;
    }

    private static Tensor? Shift(Tensor? buffer, long count, long length)
    {
        if (buffer is null)
        {
            return null;
        }

        var next = empty(buffer.shape, buffer.dtype, buffer.device).DetachFromDisposeScope();
        using (var src = buffer.narrow(2, count, length - count))
        using (var dst = next.narrow(2, 0, length - count))
        {
            dst.copy_(src);
        }

        buffer.Dispose();
        return next;
    }

    private void EnsureCapacity(int layer, Tensor like, long needed)
    {
        var current = _keys[layer];
        if (current is not null && current.shape[2] >= needed)
        {
            return;
        }

        var capacity = Math.Max(needed, current is null ? _capacity : current.shape[2] * 2);
        _capacity = Math.Max(_capacity, capacity);
        _keys[layer] = Grow(current, like, capacity, _lengths[layer]);
        _values[layer] = Grow(_values[layer], like, capacity, _lengths[layer]);
    }

    private static Tensor Grow(Tensor? current, Tensor like, long capacity, long length)
    {
        var next = empty([like.shape[0], like.shape[1], capacity, like.shape[3]], like.dtype, like.device).DetachFromDisposeScope();
        if (current is not null)
        {
            using var src = current.narrow(2, 0, length);
            using var dst = next.narrow(2, 0, length);
            dst.copy_(src);
            current.Dispose();
        }

        return next;
    }
}
