using LLMDistill.Model;
using static TorchSharp.torch;

namespace LLMDistill.Inference;

/// <summary>
/// A running batch with iteration-level (continuous) batching: rows join between decoding steps (<see cref="Admit"/>:
/// one prefill of the newcomers, whose KV cache is then stacked under the running one, left-padded to a common length)
/// and leave when they finish, so a slot freed by a short answer is reused at once instead of idling until the longest
/// row of the batch ends. Every row keeps its own positions, padding mask, sampling parameters and random stream, so
/// its output does not depend on who else is in the batch. Not thread-safe: one thread drives it, inside
/// <c>inference_mode()</c>.
/// </summary>
internal sealed class DecodeBatch(LlamaForCausalLM model) : IDisposable
{
    private readonly List<DecodeRow> _rows = [];
    private readonly List<long> _lengths = []; // real tokens of each row in the cache; padding = cache length - this
    private KvCache? _cache;
    private SamplerState? _sampler;
    private Tensor? _logits; // (B, V) next-token logits of each row
    private Tensor? _positions; // (B, 1) int64 next rotary position of each row; null when no row is padded
    private Tensor? _padding; // (B, 1) int64 left padding of each row; null when no row is padded
    private int _dead; // rows that are done but still hold a slot until the next compaction

    /// <summary>Rows still generating.</summary>
    public int LiveCount => _rows.Count - _dead;

    /// <summary>Model forward passes so far (prefills and decoding steps).</summary>
    public long ForwardPasses { get; private set; }

    /// <summary>Positions in the KV cache (the longest row plus the others' padding).</summary>
    public long CacheLength => _cache?.Length ?? 0;

    /// <summary>Prefills <paramref name="rows"/> in one forward pass and adds them to the batch. Identical prompts are prefilled once.</summary>
    /// <param name="rows">New rows, already validated.</param>
    public void Admit(IReadOnlyList<DecodeRow> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        Compact();
        using var scope = NewDisposeScope();
        var device = model.Device;
        var unique = new List<IReadOnlyList<int>>();
        var expand = new long[rows.Count]; // row -> its unique prompt
        for (var i = 0; i < rows.Count; i++)
        {
            var prompt = rows[i].Request.PromptIds;
            var at = unique.FindIndex(u => ReferenceEquals(u, prompt) || u.SequenceEqual(prompt));
            if (at < 0)
            {
                at = unique.Count;
                unique.Add(prompt);
            }

            expand[i] = at;
        }

        var promptLength = unique.Max(p => p.Count);
        var padded = unique.Any(p => p.Count != promptLength);
        var ids = tensor(unique.SelectMany(p => LeftPadded(p, promptLength)).ToArray(), ScalarType.Int64).view(unique.Count, promptLength).to(device); // (U, P)
        Tensor? mask = null, positions = null;
        if (padded)
        {
            var pads = tensor(unique.Select(p => (long)(promptLength - p.Count)).ToArray()).view(-1, 1).to(device); // (U, 1)
            mask = arange(promptLength, ScalarType.Int64, device).unsqueeze(0) >= pads; // (U, P), true = real token
            positions = AttentionMasks.PaddingPositionIds(mask);
        }

        var cache = model.CreateCache(promptLength + rows.Max(r => r.Request.Sampling.MaxNewTokens));
        try
        {
            var output = model.forward(new CausalLmInput(ids, positions, mask, cache, ComputeLogits: false));
            ForwardPasses++;
            var logits = model.LmHead(output.LastHiddenState.narrow(1, promptLength - 1, 1)).squeeze(1); // (U, V)
            if (unique.Count != rows.Count)
            {
                var index = tensor(expand).to(device);
                cache.SelectRows(index); // n choices of one prompt share its prefill
                logits = logits.index_select(0, index); // (R, V)
            }

            if (_cache is null)
            {
                _cache = cache;
                cache = null;
            }
            else
            {
                _cache.AppendRows(cache);
            }

            _logits = Swap(_logits, _logits is null ? logits : cat([_logits, logits], 0)); // (B + R, V)
        }
        finally
        {
            cache?.Dispose();
        }

        _rows.AddRange(rows);
        _lengths.AddRange(rows.Select(r => (long)r.Request.PromptIds.Count));
        RebuildRowState();
    }

    /// <summary>
    /// One decoding step: samples a token for every row, records it (observers run here), then feeds the live rows'
    /// tokens through the model. Returns the rows that ended in this step (finished, failed or cancelled).
    /// </summary>
    public IReadOnlyList<DecodeRow> Step()
    {
        if (LiveCount == 0)
        {
            return [];
        }

        using var scope = NewDisposeScope();
        var uniforms = _rows.Select(r => r.Request.Sampling.IsSampling ? CounterRng.Uniform(r.Seed, r.Tokens.Count) : 0.0).ToArray();
        var next = _sampler!.Sample(_logits!, uniforms); // (B,)
        var ended = Record(next);
        _dead += ended.Count;
        if (LiveCount == 0)
        {
            Clear();
            return ended;
        }

        // Dropping rows copies the cache, so finished rows ride along until they are an eighth of the batch (or
        // newcomers need their slots: Admit compacts first).
        if (_dead * 8 >= _rows.Count)
        {
            next = Compact(next)!;
        }

        var length = _cache!.Length;
        var mask = _padding is null ? null : arange(length + 1, ScalarType.Int64, next.device).unsqueeze(0) >= _padding; // (B, L + 1)
        var output = model.forward(new CausalLmInput(next.view(-1, 1), _positions, mask, _cache)); // logits (B, 1, V)
        ForwardPasses++;
        _logits = Swap(_logits, output.Logits!.squeeze(1)); // (B, V)
        _positions?.add_(1);
        for (var i = 0; i < _lengths.Count; i++)
        {
            _lengths[i]++;
        }

        return ended;
    }

    /// <summary>Ends every row with <paramref name="failure"/> and empties the batch (e.g. after a failed forward pass).</summary>
    /// <returns>The rows that were still live.</returns>
    public IReadOnlyList<DecodeRow> FailAll(Exception failure)
    {
        var live = _rows.Where(r => !r.Done).ToList();
        foreach (var row in live)
        {
            row.Fail(failure);
        }

        Clear();
        return live;
    }

    public void Dispose() => Clear();

    private List<DecodeRow> Record(Tensor next)
    {
        var ids = next.cpu().data<long>().ToArray();
        var live = _rows.Where(r => !r.Done).ToList();
        var wantsLogprobs = live.Any(r => r.Request.Sampling.WantsLogprobs);
        float[]? chosen = null, topValues = null;
        long[]? topIds = null;
        var topN = live.Max(r => r.Request.Sampling.TopLogprobs);
        if (wantsLogprobs)
        {
            var logp = _logits!.to_type(ScalarType.Float32).log_softmax(-1); // (B, V)
            chosen = logp.gather(1, next.unsqueeze(1)).squeeze(1).cpu().data<float>().ToArray();
            if (topN > 0)
            {
                var (values, indices) = logp.topk((int)Math.Min(topN, logp.shape[1]), -1); // (B, n)
                topValues = values.cpu().data<float>().ToArray();
                topIds = indices.cpu().data<long>().ToArray();
            }
        }

        var width = topValues is null ? 0 : topValues.Length / _rows.Count;
        var ended = new List<DecodeRow>();
        for (var slot = 0; slot < _rows.Count; slot++)
        {
            var row = _rows[slot];
            if (row.Done)
            {
                continue; // waiting to be dropped from the batch
            }

            var sampling = row.Request.Sampling;
            IReadOnlyList<TokenIdLogprob>? alternatives = null;
            if (sampling.TopLogprobs > 0 && topValues is not null)
            {
                alternatives = Enumerable.Range(0, Math.Min(sampling.TopLogprobs, width))
                    .Select(j => new TokenIdLogprob((int)topIds![(slot * width) + j], topValues[(slot * width) + j])).ToArray();
            }

            row.Add(new GeneratedToken((int)ids[slot], sampling.WantsLogprobs ? chosen![slot] : null, alternatives));
            if (row.Done)
            {
                ended.Add(row);
            }
        }

        return ended;
    }

    /// <summary>Drops finished rows (cache, logits, sampler) and then padding columns no row needs; returns <paramref name="next"/> for the kept rows.</summary>
    private Tensor? Compact(Tensor? next = null)
    {
        if (_dead > 0)
        {
            var keep = Enumerable.Range(0, _rows.Count).Where(i => !_rows[i].Done).ToArray();
            using var keepOnDevice = tensor(keep.Select(i => (long)i).ToArray()).to(_logits!.device);
            _cache!.SelectRows(keepOnDevice);
            _logits = Swap(_logits, _logits.index_select(0, keepOnDevice));
            next = next?.index_select(0, keepOnDevice);
            var rows = keep.Select(i => _rows[i]).ToArray();
            var lengths = keep.Select(i => _lengths[i]).ToArray();
            _rows.Clear();
            _rows.AddRange(rows);
            _lengths.Clear();
            _lengths.AddRange(lengths);
            _dead = 0;
        }

        if (_cache is not null && _lengths.Count > 0)
        {
            var unused = _cache.Length - _lengths.Max(); // leading columns that are padding in every row
            _cache.TrimLeft(unused);
        }

        RebuildRowState();
        return next;
    }

    /// <summary>Rebuilds the sampler, positions and padding of the current rows from the host-side state.</summary>
    private void RebuildRowState()
    {
        _sampler?.Dispose();
        _positions?.Dispose();
        _padding?.Dispose();
        _sampler = null;
        _positions = _padding = null;
        if (_rows.Count == 0)
        {
            return;
        }

        var device = _logits!.device;
        _sampler = new SamplerState(_rows.Select(r => r.Request.Sampling).ToArray(), model.Config.VocabSize, device);
        var length = _cache!.Length;
        if (_lengths.Any(l => l != length))
        {
            // Rows are padded differently: per-row positions and a padding mask. Otherwise the plain causal fast path.
            using var scope = NewDisposeScope();
            _positions = tensor(_lengths.ToArray()).view(-1, 1).to(device).DetachFromDisposeScope(); // (B, 1)
            _padding = tensor(_lengths.Select(l => length - l).ToArray()).view(-1, 1).to(device).DetachFromDisposeScope(); // (B, 1)
        }
    }

    private void Clear()
    {
        _rows.Clear();
        _lengths.Clear();
        _dead = 0;
        _cache?.Dispose();
        _cache = null;
        _logits?.Dispose();
        _logits = null;
        RebuildRowState();
    }

    private static long[] LeftPadded(IReadOnlyList<int> prompt, int length)
    {
        var row = new long[length]; // pad id 0: any valid id works, padded keys are masked out
        for (var i = 0; i < prompt.Count; i++)
        {
            row[length - prompt.Count + i] = prompt[i];
        }

        return row;
    }

    /// <summary>Detaches <paramref name="next"/> from the current scope (the batch owns it) and frees <paramref name="current"/>.</summary>
    private static Tensor Swap(Tensor? current, Tensor next)
    {
        next.DetachFromDisposeScope();
        if (!ReferenceEquals(current, next))
        {
            current?.Dispose();
        }

        return next;
    }
}
