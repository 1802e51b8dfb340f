using LLMDistill.Losses;
using LLMDistill.Model;
using static TorchSharp.torch;

namespace LLMDistill.Training.Data;

/// <summary>Turns rows of examples into <see cref="BatchTensors"/> on a device.</summary>
internal static class BatchBuilder
{
    /// <summary>Builds the tensors of one micro-batch; rows are right-padded to the longest row.</summary>
    /// <param name="rows">Rows, each the examples it holds in order.</param>
    /// <param name="padId">Token id written into padding (never attended to by a real token, never a target).</param>
    /// <param name="topKSlots">Slots of the stored top-k tensors; 0 = none.</param>
    /// <param name="device">Where to put the tensors.</param>
    public static BatchTensors Build(IReadOnlyList<TrainingExample[]> rows, int padId, int topKSlots, Device device)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentOutOfRangeException.ThrowIfZero(rows.Count);
        var batch = rows.Count;
        var steps = rows.Max(r => r.Sum(e => e.Length));
        var ids = new long[batch * steps];
        var labels = new long[batch * steps];
        var valid = new bool[batch * steps];
        var segments = new long[batch * steps];
        Array.Fill(ids, padId);
        Array.Fill(labels, DistillationLosses.IgnoreIndex);
        Array.Fill(segments, -1); // padding is a run of its own: it attends only among itself
        var k = topKSlots;
        var topIds = k > 0 ? new long[batch * steps * k] : null;
        var topLogprobs = k > 0 ? new float[batch * steps * k] : null;
        var topMask = k > 0 ? new bool[batch * steps * k] : null;
        long tokens = 0, targets = 0;
        var packed = false;
        for (var b = 0; b < batch; b++)
        {
            packed |= rows[b].Length > 1;
            var offset = b * steps;
            for (var s = 0; s < rows[b].Length; s++)
            {
                var example = rows[b][s];
                for (var i = 0; i < example.Length; i++)
                {
                    var at = offset + i;
                    ids[at] = example.Ids[i];
                    valid[at] = true;
                    segments[at] = s;
                    if (i + 1 < example.Length && i + 1 >= example.FirstTarget)
                    {
                        labels[at] = example.Ids[i + 1]; // position i predicts token i + 1
                        targets++;
                    }
                }

                if (example.TopK is { } stored && k > 0)
                {
                    // Stored entry j belongs to response token PromptLength + j, predicted one position earlier.
                    for (var j = 0; j < stored.Ids.Length; j++)
                    {
                        var position = example.PromptLength + j - 1;
                        if (position < 0 || position + 1 >= example.Length)
                        {
                            continue;
                        }

                        var slots = (offset + position) * k;
                        for (var slot = 0; slot < Math.Min(k, stored.Ids[j].Length); slot++)
                        {
                            topIds![slots + slot] = stored.Ids[j][slot];
                            topLogprobs![slots + slot] = stored.Logprobs[j][slot];
                            topMask![slots + slot] = true;
                        }
                    }
                }

                tokens += example.Length;
                offset += example.Length;
            }
        }

        long[] shape = [batch, steps];
        Tensor? positions = null, mask = null;
        if (packed)
        {
            // Right padding needs no mask (a real token never looks ahead), but several samples in a row do.
            using var segmentIds = tensor(segments, shape, device: device);
            positions = AttentionMasks.PackedPositionIds(segmentIds);
            mask = AttentionMasks.BlockCausal(segmentIds);
        }

        long[] slotShape = [batch, steps, k];
        return new BatchTensors(
            tensor(ids, shape, device: device),
            tensor(labels, shape, device: device),
            tensor(valid, shape, device: device),
            positions,
            mask,
            topIds is null ? null : tensor(topIds, slotShape, device: device),
            topLogprobs is null ? null : tensor(topLogprobs, slotShape, device: device),
            topMask is null ? null : tensor(topMask, slotShape, device: device),
            tokens,
            targets);
    }
}
