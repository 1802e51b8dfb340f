using static TorchSharp.torch;

namespace LLMDistill.Evaluation.TeacherForced;

/// <summary>
/// Per-position statistics of one chunk of scored positions, computed on the device from float32 log-probabilities
/// (n, V) and returned as columns of one (n, 3·models + 5·pairs) float32 tensor, so the host reads a chunk with one
/// copy. The definitions are those of <see cref="Evaluation.TokenMetrics.DistributionComparison"/>.
/// </summary>
internal static class PositionStatistics
{
    /// <summary>Columns per model: NLL of the label, top probability, top token = label (0/1).</summary>
    public const int ModelColumns = 3;

    /// <summary>Columns per pair: top-1 agrees, P's top token in Q's top-k, KL(P‖Q), KL(Q‖P), JSD.</summary>
    public const int PairColumns = 5;

    /// <summary>(n, V) float32 tensors alive at once: per model its log-probabilities and probabilities, plus the temporaries of one pair.</summary>
    public const int TensorsPerModel = 2;

    /// <summary>(n, V) float32 temporaries of one pair's statistics (the memory budget counts them once: pairs run one after another).</summary>
    public const int PairTemporaries = 8;

    /// <summary>Computes every column of a chunk.</summary>
    /// <param name="logProbs">One (n, V) float32 log-softmax per model; clamped in place (−∞ becomes the lowest finite float).</param>
    /// <param name="labels">(n) int64 actual next tokens.</param>
    /// <param name="pairs">The pairs to compare.</param>
    /// <param name="topK">k of top-k agreement.</param>
    /// <returns>(n, columns) float32 on the CPU.</returns>
    public static Tensor Compute(IReadOnlyList<Tensor> logProbs, Tensor labels, IReadOnlyList<ModelPair> pairs, int topK)
    {
        using var scope = NewDisposeScope();
        var columns = new List<Tensor>();
        var argmax = new Tensor[logProbs.Count];
        var logs = new Tensor[logProbs.Count];
        var probs = new Tensor[logProbs.Count];
        var masked = new bool[logProbs.Count];
        for (var m = 0; m < logProbs.Count; m++)
        {
            // A -inf log-probability (a masked token) becomes the lowest finite value: its probability is still 0 and
            // 0 · (−big) = 0 where 0 · −∞ would be NaN. Where the other model gives that token mass, the KL is set to +∞ below.
            masked[m] = logProbs[m].isneginf().any().item<bool>();
            var lp = logs[m] = logProbs[m].clamp_min_(float.MinValue);
            probs[m] = lp.exp();
            argmax[m] = lp.argmax(-1);                                                  // (n)
            columns.Add(lp.gather(-1, labels.unsqueeze(-1)).squeeze(-1).neg());          // NLL (n)
            columns.Add(lp.max(-1).values.exp());                                        // confidence (n)
            columns.Add(argmax[m].eq(labels).to_type(ScalarType.Float32));              // correct (n)
        }

        foreach (var (r, c) in pairs)
        {
            using var pairScope = NewDisposeScope();
            Tensor lp = logs[r], lq = logs[c], p = probs[r], q = probs[c];

            // Rank of P's top token under Q: how many tokens Q strictly prefers to it (ties count for P's token).
            var qAtTopP = lq.gather(-1, argmax[r].unsqueeze(-1));                      // (n, 1)
            var better = lq.gt(qAtTopP).sum(-1);                                         // (n)

            // KL(P‖Q) = Σ p (log p − log q), KL(Q‖P) = −Σ q (log p − log q); JSD with log m = logaddexp(log p, log q) − ln 2.
            var diff = lp - lq;                                                          // (n, V)
            var logM = lp.logaddexp(lq) - Math.Log(2);                                   // (n, V)
            var jsd = ((p * (lp - logM)).sum(-1) + (q * (lq - logM)).sum(-1)) * 0.5;
            var stats = stack(
                [
                    argmax[r].eq(argmax[c]).to_type(ScalarType.Float32),
                    better.lt(topK).to_type(ScalarType.Float32),
                    Infinite((p * diff).sum(-1), masked[c], lq, p),
                    Infinite((q * diff).sum(-1).neg(), masked[r], lp, q),
                    jsd,
                ],
                1);                                                                      // (n, 5)
            columns.Add(stats.MoveToOuterDisposeScope());
        }

        var table = cat(columns.Select(t => t.dim() == 1 ? t.unsqueeze(1) : t).ToArray(), 1); // (n, 3M + 5P)
        return table.to_type(ScalarType.Float32).cpu().MoveToOuterDisposeScope();
    }

    /// <summary>KL(A‖B) is +∞ in rows where B gives zero probability (a masked token) to a token A gives mass.</summary>
    private static Tensor Infinite(Tensor kl, bool bHasMaskedTokens, Tensor logB, Tensor a)
        => bHasMaskedTokens ? kl.masked_fill(logB.eq(float.MinValue).logical_and(a.gt(0)).any(-1), double.PositiveInfinity) : kl;
}
