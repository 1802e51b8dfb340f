using LLMDistill.Model;
using static TorchSharp.torch;

namespace LLMDistill.Inference;

/// <summary>
/// Decodes one batch: left-pad the prompts, prefill once into a KV cache, then one token per step for every live row.
/// Finished rows are dropped from the batch (cache, mask, positions, sampler) once enough of them have accumulated.
/// </summary>
internal sealed class BatchDecoder
{
    private readonly LlamaForCausalLM _model;
    private readonly Row[] _rows;
    private readonly Action<GenerationStep>? _onStep;
    private readonly int _promptLength;
    private readonly bool _padded;

    public BatchDecoder(LlamaForCausalLM model, IReadOnlyList<(int Index, GenerationRequest Request)> batch, IReadOnlyList<int> defaultStopIds, Action<GenerationStep>? onStep)
    {
        _model = model;
        _onStep = onStep;
        _rows = batch.Select(b => new Row(b.Index, b.Request, b.Request.Sampling.StopTokenIds ?? defaultStopIds)).ToArray();
        _promptLength = _rows.Max(r => r.Request.PromptIds.Count);
        _padded = _rows.Any(r => r.Request.PromptIds.Count != _promptLength);
    }

    /// <summary>Runs the batch to completion and returns each row's result (in batch order).</summary>
    public GenerationResult[] Run(CancellationToken cancellationToken)
    {
        var device = _model.Device;
        var maxNew = _rows.Max(r => r.Request.Sampling.MaxNewTokens);
        using var batchScope = NewDisposeScope();
        using var cache = _model.CreateCache(_promptLength + maxNew);
        using var sampler = new SamplerState(_rows.Select(r => r.Request.Sampling).ToArray(), _model.Config.VocabSize, device);
        var mask = _padded ? BuildMask(maxNew, device) : null; // (B, P + maxNew), true = real token
        Tensor? positions = null; // (B, 1) next position per row; only needed when rows are padded differently
        Tensor logits;
        using (var prefillScope = NewDisposeScope())
        {
            var ids = tensor(_rows.SelectMany(r => LeftPadded(r.Request.PromptIds)).ToArray(), ScalarType.Int64)
                .view(_rows.Length, _promptLength).to(device); // (B, P)
            var promptMask = mask?.narrow(1, 0, _promptLength);
            var prefillPositions = promptMask is null ? null : AttentionMasks.PaddingPositionIds(promptMask);
            var output = _model.forward(new CausalLmInput(ids, prefillPositions, promptMask, cache, ComputeLogits: false));
            logits = _model.LmHead(output.LastHiddenState.narrow(1, _promptLength - 1, 1)).squeeze(1).MoveToOuterDisposeScope(); // (B, V)
            if (_padded)
            {
                positions = tensor(_rows.Select(r => (long)r.Request.PromptIds.Count).ToArray()).view(-1, 1).to(device).MoveToOuterDisposeScope();
            }
        }

        var active = Enumerable.Range(0, _rows.Length).ToArray(); // active[i] = the row in batch slot i
        for (var step = 0L; ; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var stepScope = NewDisposeScope();
            var uniforms = active.Select(a => _rows[a].Request.Sampling.IsSampling ? CounterRng.Uniform(_rows[a].Seed, step) : 0.0).ToArray();
            var next = sampler.Sample(logits, uniforms); // (B',)
            Record(active, next, logits);
            var live = active.Where(a => !_rows[a].Finished).ToArray();
            if (live.Length == 0)
            {
                break;
            }

            // Dropping rows copies the cache, so wait until at least an eighth of the batch is dead weight.
            if ((active.Length - live.Length) * 8 >= active.Length)
            {
                var keep = Enumerable.Range(0, active.Length).Where(i => !_rows[active[i]].Finished).ToArray();
                var keepOnDevice = tensor(keep.Select(i => (long)i).ToArray()).to(device);
                cache.SelectRows(keepOnDevice);
                sampler.Select(keep, keepOnDevice);
                next = next.index_select(0, keepOnDevice);
                mask = Swap(mask, mask?.index_select(0, keepOnDevice));
                positions = Swap(positions, positions?.index_select(0, keepOnDevice));
                active = live;
            }

            var stepMask = mask?.narrow(1, 0, _promptLength + step + 1); // (B', P + step + 1)
            var output = _model.forward(new CausalLmInput(next.view(-1, 1), positions, stepMask, cache)); // logits (B', 1, V)
            logits = Swap(logits, output.Logits!.squeeze(1))!; // (B', V)
            positions?.add_(1);
        }

        return _rows.Select(r => r.ToResult()).ToArray();
    }

    /// <summary>Appends each live row's token (and logprobs), finishes rows, and streams the steps.</summary>
    private void Record(int[] active, Tensor next, Tensor logits)
    {
        var ids = next.cpu().data<long>().ToArray();
        var wantsLogprobs = active.Any(a => _rows[a].Request.Sampling.WantsLogprobs);
        float[]? chosen = null, topValues = null;
        long[]? topIds = null;
        var topN = active.Max(a => _rows[a].Request.Sampling.TopLogprobs);
        if (wantsLogprobs)
        {
            var logp = logits.to_type(ScalarType.Float32).log_softmax(-1); // (B', V)
            chosen = logp.gather(1, next.unsqueeze(1)).squeeze(1).cpu().data<float>().ToArray();
            if (topN > 0)
            {
                var (values, indices) = logp.topk((int)Math.Min(topN, logp.shape[1]), -1); // (B', n)
                topValues = values.cpu().data<float>().ToArray();
                topIds = indices.cpu().data<long>().ToArray();
            }
        }

        var width = topValues is null ? 0 : topValues.Length / active.Length;
        for (var slot = 0; slot < active.Length; slot++)
        {
            var row = _rows[active[slot]];
            if (row.Finished)
            {
                continue; // already done, waiting to be dropped from the batch
            }

            var sampling = row.Request.Sampling;
            IReadOnlyList<TokenLogprob>? alternatives = null;
            if (sampling.TopLogprobs > 0 && topValues is not null)
            {
                alternatives = Enumerable.Range(0, Math.Min(sampling.TopLogprobs, width))
                    .Select(j => new TokenLogprob((int)topIds![(slot * width) + j], topValues[(slot * width) + j])).ToArray();
            }

            var token = new GeneratedToken((int)ids[slot], sampling.WantsLogprobs ? chosen![slot] : null, alternatives);
            var finish = row.Add(token);
            _onStep?.Invoke(new GenerationStep(row.RequestIndex, token, finish));
        }
    }

    private Tensor BuildMask(int maxNew, Device device)
    {
        var width = _promptLength + maxNew;
        var valid = new bool[_rows.Length * width];
        for (var r = 0; r < _rows.Length; r++)
        {
            var pad = _promptLength - _rows[r].Request.PromptIds.Count;
            Array.Fill(valid, true, (r * width) + pad, width - pad);
        }

        return tensor(valid).view(_rows.Length, width).to(device).MoveToOuterDisposeScope();
    }

    private long[] LeftPadded(IReadOnlyList<int> prompt)
    {
        var row = new long[_promptLength]; // pad id 0: any valid id works, padded keys are masked out
        for (var i = 0; i < prompt.Count; i++)
        {
            row[_promptLength - prompt.Count + i] = prompt[i];
        }

        return row;
    }

    /// <summary>Moves <paramref name="next"/> to the batch scope and frees <paramref name="current"/>.</summary>
    private static Tensor? Swap(Tensor? current, Tensor? next)
    {
        next?.MoveToOuterDisposeScope();
        current?.Dispose();
        return next;
    }

    private sealed class Row(int requestIndex, GenerationRequest request, IReadOnlyList<int> stopIds)
    {
        private readonly HashSet<int> _stops = [.. stopIds];
        private readonly List<GeneratedToken> _tokens = new(request.Sampling.MaxNewTokens);
        private FinishReason? _finish;

        public int RequestIndex { get; } = requestIndex;

        public GenerationRequest Request { get; } = request;

        public long Seed { get; } = request.Sampling.Seed ?? CounterRng.NewSeed();

        public bool Finished => _finish is not null;

        public FinishReason? Add(GeneratedToken token)
        {
            _tokens.Add(token);
            if (_stops.Contains(token.Id))
            {
                _finish = FinishReason.Stop;
            }
            else if (_tokens.Count >= Request.Sampling.MaxNewTokens)
            {
                _finish = FinishReason.Length;
            }

            return _finish;
        }

        public GenerationResult ToResult() => new(Request.PromptIds, _tokens, _finish ?? FinishReason.Length);
    }
}
