using static TorchSharp.torch;

namespace LLMDistill.Inference;

/// <summary>
/// Per-row sampling settings of a batch as device tensors, so one step samples every row with a handful of batched
/// ops instead of a loop over rows. Rows are dropped with <see cref="Select"/> when they finish.
/// </summary>
internal sealed class SamplerState : IDisposable
{
    private readonly long _vocabSize;
    private DecodingParameters[] _rows;
    private Tensor _temperature; // (B, 1) float32, 1 for greedy rows
    private Tensor _topK; // (B, 1) int64, vocab size when off
    private Tensor _topP; // (B, 1) float32, 2 (never reached) when off
    private Tensor _greedy; // (B,) bool

    public SamplerState(IReadOnlyList<DecodingParameters> rows, long vocabSize, Device device)
    {
        _vocabSize = vocabSize;
        _rows = [.. rows];
        (_temperature, _topK, _topP, _greedy) = Build(_rows, vocabSize, device);
    }

    /// <summary>Samples one token per row from logits (B, V).</summary>
    /// <param name="logits">(B, V) last-position logits in any float dtype.</param>
    /// <param name="uniforms">One uniform in (0, 1) per row (from <see cref="CounterRng"/>); ignored for greedy rows.</param>
    /// <returns>(B,) int64 token ids, in the caller's dispose scope.</returns>
    public Tensor Sample(Tensor logits, double[] uniforms)
    {
        var anySampling = _rows.Any(r => r.IsSampling);
        var anyGreedy = _rows.Any(r => !r.IsSampling);
        using var scope = NewDisposeScope();
        Tensor? greedy = anyGreedy ? logits.argmax(-1) : null; // (B,)
        if (!anySampling)
        {
            return greedy!.MoveToOuterDisposeScope();
        }

        var x = logits.to_type(ScalarType.Float32) / _temperature; // (B, V)
        var u = tensor(uniforms, ScalarType.Float64).to(logits.device).unsqueeze(1); // (B, 1)
        Tensor sampled;
        var sampling = _rows.Where(r => r.IsSampling).ToList();
        if (sampling.Any(r => r.TopK > 0) || sampling.Any(r => r.TopP < 1))
        {
            // Work on the candidates in descending order; when every sampling row has a top-k, topk() of the largest
            // k avoids sorting the whole vocabulary.
            var maxK = sampling.All(r => r.TopK > 0) ? sampling.Max(r => r.TopK) : 0;
            var (values, indices) = maxK > 0 && maxK < _vocabSize ? x.topk(maxK, -1) : x.sort(-1, descending: true); // (B, K)
            var rank = arange(values.shape[1], ScalarType.Int64, logits.device).unsqueeze(0); // (1, K)
            values = values.masked_fill(rank >= _topK, double.NegativeInfinity);
            if (sampling.Any(r => r.TopP < 1))
            {
                var p = values.softmax(-1);
                var before = p.cumsum(-1) - p; // probability mass ranked above each candidate
                values = values.masked_fill(before >= _topP, double.NegativeInfinity);
            }

            var choice = InverseCdf(values.softmax(-1), u); // (B,) position among the candidates
            sampled = indices.gather(1, choice.unsqueeze(1)).squeeze(1); // (B,)
        }
        else
        {
            sampled = InverseCdf(x.softmax(-1), u); // (B,)
        }

        return (greedy is null ? sampled : where(_greedy, greedy, sampled)).MoveToOuterDisposeScope();
    }

    /// <summary>Keeps the given rows (host indices into the current rows, and the same indices on the device).</summary>
    public void Select(int[] keep, Tensor keepOnDevice)
    {
        _rows = keep.Select(i => _rows[i]).ToArray();
        _temperature = Replace(_temperature, keepOnDevice);
        _topK = Replace(_topK, keepOnDevice);
        _topP = Replace(_topP, keepOnDevice);
        _greedy = Replace(_greedy, keepOnDevice);
    }

    public void Dispose()
    {
        _temperature.Dispose();
        _topK.Dispose();
        _topP.Dispose();
        _greedy.Dispose();
    }

    /// <summary>First index whose cumulative probability reaches u * total: exact categorical sampling, never a zero-probability token.</summary>
    private static Tensor InverseCdf(Tensor probs, Tensor u)
    {
        var cdf = probs.cumsum(-1, ScalarType.Float64); // (B, K), float64 so a long vocabulary does not drift
        var threshold = u * cdf.narrow(1, cdf.shape[1] - 1, 1); // (B, 1)
        return (cdf < threshold).sum(-1).clamp_max(probs.shape[1] - 1); // (B,)
    }

    private static Tensor Replace(Tensor current, Tensor keep)
    {
        var next = current.index_select(0, keep).DetachFromDisposeScope();
        current.Dispose();
        return next;
    }

    private static (Tensor, Tensor, Tensor, Tensor) Build(DecodingParameters[] rows, long vocabSize, Device device)
    {
        using var scope = NewDisposeScope();
        var temperature = rows.Select(r => r.IsSampling ? (float)r.Temperature : 1f).ToArray();
        var topK = rows.Select(r => r.IsSampling && r.TopK > 0 ? r.TopK : vocabSize).ToArray();
        var topP = rows.Select(r => r.IsSampling && r.TopP < 1 ? (float)r.TopP : 2f).ToArray();
        var greedy = rows.Select(r => !r.IsSampling).ToArray();
        return (
            tensor(temperature).view(-1, 1).to(device).DetachFromDisposeScope(),
            tensor(topK).view(-1, 1).to(device).DetachFromDisposeScope(),
            tensor(topP).view(-1, 1).to(device).DetachFromDisposeScope(),
            tensor(greedy).to(device).DetachFromDisposeScope());
    }
}
