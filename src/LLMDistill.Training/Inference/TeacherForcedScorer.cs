using LLMDistill.Model;
using static TorchSharp.torch;

namespace LLMDistill.Inference;

/// <summary>
/// Teacher-forced log-probabilities of given token sequences, several sequences per forward pass: for every position
/// t &gt; 0, log p(ids[t] | ids[..t]) and the top-k alternatives, from a float32 log-softmax of the logits. Rows are
/// right-padded (causal attention never lets a real position see the padding after it), and logits are computed in
/// chunks of positions so a long batch over a large vocabulary does not materialise (B, T, V) at once.
/// </summary>
internal static class TeacherForcedScorer
{
    private const long ChunkElements = 1L << 24; // logits per chunk: 64 MiB in float32

    /// <summary>Scores each row; call inside <c>inference_mode()</c>.</summary>
    /// <param name="model">The model.</param>
    /// <param name="rows">Token ids of each sequence (at least one token each, ids in the vocabulary).</param>
    /// <param name="topLogprobs">Alternatives per position for each row (0 = none).</param>
    /// <returns>Per row, one entry per token: the first has a null logprob (nothing precedes it).</returns>
    public static IReadOnlyList<GeneratedToken>[] Score(LlamaForCausalLM model, IReadOnlyList<IReadOnlyList<int>> rows, IReadOnlyList<int> topLogprobs)
    {
        using var scope = NewDisposeScope();
        var device = model.Device;
        var batch = rows.Count;
        var length = rows.Max(r => r.Count);
        var flat = new long[batch * length]; // pad id 0 after each row: never attended to by the real positions
        for (var b = 0; b < batch; b++)
        {
            for (var t = 0; t < rows[b].Count; t++)
            {
                flat[(b * length) + t] = rows[b][t];
            }
        }

        var ids = tensor(flat, ScalarType.Int64).view(batch, length).to(device); // (B, T)
        var hidden = model.forward(new CausalLmInput(ids, ComputeLogits: false)).LastHiddenState; // (B, T, C)
        var targets = length > 1 ? ids.narrow(1, 1, length - 1) : null; // (B, T-1): the token each position predicts
        var chosen = new float[batch, Math.Max(length - 1, 0)];
        var topN = topLogprobs.Count == 0 ? 0 : (int)Math.Min(topLogprobs.Max(), model.Config.VocabSize);
        var topValues = new float[batch, Math.Max(length - 1, 0), topN];
        var topIds = new long[batch, Math.Max(length - 1, 0), topN];
        var chunk = (int)Math.Max(1, ChunkElements / ((long)batch * model.Config.VocabSize));
        for (var start = 0; start < length - 1; start += chunk)
        {
            using var chunkScope = NewDisposeScope();
            var width = Math.Min(chunk, length - 1 - start);
            var logp = model.LmHead(hidden.narrow(1, start, width)).to_type(ScalarType.Float32).log_softmax(-1); // (B, w, V)
            var picked = logp.gather(2, targets!.narrow(1, start, width).unsqueeze(2)).squeeze(2).cpu().data<float>().ToArray(); // (B, w)
            Copy(picked, chosen, start, width);
            if (topN > 0)
            {
                var (values, indices) = logp.topk(topN, -1); // (B, w, n)
                CopyTop(values.cpu().data<float>().ToArray(), indices.cpu().data<long>().ToArray(), topValues, topIds, start, width, topN);
            }
        }

        var results = new IReadOnlyList<GeneratedToken>[batch];
        for (var b = 0; b < batch; b++)
        {
            var row = rows[b];
            var tokens = new GeneratedToken[row.Count];
            tokens[0] = new GeneratedToken(row[0], null, null);
            var keep = Math.Min(topLogprobs[b], topN);
            for (var t = 1; t < row.Count; t++)
            {
                var top = keep == 0 ? null : Enumerable.Range(0, keep).Select(j => new TokenIdLogprob((int)topIds[b, t - 1, j], topValues[b, t - 1, j])).ToArray();
                tokens[t] = new GeneratedToken(row[t], chosen[b, t - 1], top);
            }

            results[b] = tokens;
        }

        return results;
    }

    private static void Copy(float[] picked, float[,] chosen, int start, int width)
    {
        var batch = chosen.GetLength(0);
        for (var b = 0; b < batch; b++)
        {
            for (var t = 0; t < width; t++)
            {
                chosen[b, start + t] = picked[(b * width) + t];
            }
        }
    }

    private static void CopyTop(float[] values, long[] indices, float[,,] topValues, long[,,] topIds, int start, int width, int topN)
    {
        var batch = topValues.GetLength(0);
        for (var b = 0; b < batch; b++)
        {
            for (var t = 0; t < width; t++)
            {
                for (var j = 0; j < topN; j++)
                {
                    var at = (((b * width) + t) * topN) + j;
                    topValues[b, start + t, j] = values[at];
                    topIds[b, start + t, j] = indices[at];
                }
            }
        }
    }
}
