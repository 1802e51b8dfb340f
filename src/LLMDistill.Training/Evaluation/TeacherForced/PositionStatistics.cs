using LLMDistill.Losses;
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

    /// <summary>(n, V) float32 temporaries alive at once per pair, beside the models' log-probabilities (for the memory budget).</summary>
    public const int PairTemporaries = 12;

    /// <summary>Computes every column of a chunk.</summary>
    /// <param name="logProbs">One (n, V) float32 log-softmax per model.</param>
    /// <param name="labels">(n) int64 actual next tokens.</param>
    /// <param name="pairs">The pairs to compare.</param>
    /// <param name="topK">k of top-k agreement.</param>
    /// <returns>(n, columns) float32 on the CPU.</returns>
    public static Tensor Compute(IReadOnlyList<Tensor> logProbs, Tensor labels, IReadOnlyList<ModelPair> pairs, int topK)
    {
        using var scope = NewDisposeScope();
        var columns = new List<Tensor>();
        var argmax = new Tensor[logProbs.Count];
        for (var m = 0; m < logProbs.Count; m++)
        {
            var lp = logProbs[m];
            argmax[m] = lp.argmax(-1);                                                  // (n)
            columns.Add(lp.gather(-1, labels.unsqueeze(-1)).squeeze(-1).neg());          // NLL (n)
            columns.Add(lp.max(-1).values.exp());                                        // confidence (n)
            columns.Add(argmax[m].eq(labels).to_type(ScalarType.Float32));              // correct (n)
        }

        foreach (var (r, c) in pairs)
        {
            using var pairScope = NewDisposeScope();
            Tensor lp = logProbs[r], lq = logProbs[c];

            // Rank of P's top token under Q: how many tokens Q strictly prefers to it (ties count for P's token).
            var qAtTopP = lq.gather(-1, argmax[r].unsqueeze(-1));                      // (n, 1)
            var better = lq.gt(qAtTopP).sum(-1);                                         // (n)
            var stats = stack(
                [
                    argmax[r].eq(argmax[c]).to_type(ScalarType.Float32),
                    better.lt(topK).to_type(ScalarType.Float32),
                    RowLosses.Kl(lp, lq),
                    RowLosses.Kl(lq, lp),
                    RowLosses.GeneralizedJsd(lq, lp, 0.5),
                ],
                1);                                                                      // (n, 5)
            columns.Add(stats.MoveToOuterDisposeScope());
        }

        var table = cat(columns.Select(t => t.dim() == 1 ? t.unsqueeze(1) : t).ToArray(), 1); // (n, 3M + 5P)
        return table.to_type(ScalarType.Float32).cpu().MoveToOuterDisposeScope();
    }
}
