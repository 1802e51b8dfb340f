using static TorchSharp.torch;

namespace LLMDistill.Model;

/// <summary>
/// Builds the masks and position ids of the forward contract: left-padded generation batches and packed training rows
/// (several samples in one row that must not attend across each other).
/// </summary>
public static class AttentionMasks
{
    /// <summary>
    /// Block-diagonal causal mask for packed rows: position i may attend to j when j &lt;= i and both lie in the same
    /// run of equal segment ids.
    /// </summary>
    /// <param name="segmentIds">(B, T) integer ids, constant within each packed sample (padding can be its own segment).</param>
    /// <returns>(B, 1, T, T) bool, true = may attend.</returns>
    public static Tensor BlockCausal(Tensor segmentIds)
    {
        CheckRank2(segmentIds, nameof(segmentIds));
        using var scope = NewDisposeScope();
        var runs = RunIds(segmentIds); // (B, T)
        var steps = segmentIds.shape[1];
        var idx = arange(steps, ScalarType.Int64, segmentIds.device);
        var causal = idx.unsqueeze(0) <= idx.unsqueeze(1); // (T, T): key j <= query i
        var same = runs.unsqueeze(2) == runs.unsqueeze(1); // (B, T, T)
        return (same & causal).unsqueeze(1).MoveToOuterDisposeScope(); // (B, 1, T, T)
    }

    /// <summary>Positions that restart at 0 at the start of every run of equal segment ids (packed rows).</summary>
    /// <param name="segmentIds">(B, T) integer ids, constant within each packed sample.</param>
    /// <returns>(B, T) int64.</returns>
    public static Tensor PackedPositionIds(Tensor segmentIds)
    {
        CheckRank2(segmentIds, nameof(segmentIds));
        using var scope = NewDisposeScope();
        var steps = segmentIds.shape[1];
        var idx = arange(steps, ScalarType.Int64, segmentIds.device).expand(segmentIds.shape); // (B, T)
        var starts = where(RunStarts(segmentIds), idx, zeros_like(idx)); // (B, T): own index at a run start, else 0
        var runStart = cummax(starts, 1).values; // (B, T): index where the current run began
        return (idx - runStart).MoveToOuterDisposeScope();
    }

    /// <summary>Positions of a left-padded batch: 0 at each row's first real token (padding gets 0 too).</summary>
    /// <param name="paddingMask">(B, T), nonzero/true = real token.</param>
    /// <returns>(B, T) int64.</returns>
    public static Tensor PaddingPositionIds(Tensor paddingMask)
    {
        CheckRank2(paddingMask, nameof(paddingMask));
        using var scope = NewDisposeScope();
        var positions = paddingMask.to_type(ScalarType.Int64).cumsum(1) - 1; // (B, T)
        return positions.clamp_min(0).MoveToOuterDisposeScope();
    }

    /// <summary>Turns the caller's mask into what SDPA takes (see <see cref="CausalLmInput.AttentionMask"/>).</summary>
    internal static Tensor? ForAttention(Tensor? mask, long batch, long steps, long past, Device device, out bool isCausal)
    {
        var keys = past + steps;
        if (mask is null)
        {
            isCausal = past == 0 && steps > 1;
            if (past == 0 || steps == 1)
            {
                return null; // is_causal, or a single query that may see every cached key
            }

            using var scope = NewDisposeScope();
            return CausalWithOffset(steps, past, device).unsqueeze(0).unsqueeze(0).MoveToOuterDisposeScope(); // (1, 1, T, S)
        }

        isCausal = false;
        switch (mask.dim())
        {
            case 2:
                if (mask.shape[0] != batch || mask.shape[1] != keys)
                {
                    throw new ArgumentException($"attention mask must be (batch={batch}, past+T={keys}) (got ({string.Join(", ", mask.shape)}))");
                }

                using (var scope = NewDisposeScope())
                {
                    var valid = mask.to_type(ScalarType.Bool).to(device).view(batch, 1, 1, keys); // (B, 1, 1, S)
                    if (steps == 1)
                    {
                        return valid.MoveToOuterDisposeScope();
                    }

                    var causal = CausalWithOffset(steps, past, device); // (T, S)
                    // A padded query still sees itself, so its softmax row is never empty (NaN would spread through V).
                    var self = arange(keys, ScalarType.Int64, device).unsqueeze(0) == arange(past, keys, 1, ScalarType.Int64, device).unsqueeze(1);
                    return ((causal & valid) | self).MoveToOuterDisposeScope(); // (B, 1, T, S)
                }

            case 4:
                if (mask.dtype != ScalarType.Bool)
                {
                    throw new ArgumentException($"a 4-d attention mask must be bool, true = may attend (got {mask.dtype})");
                }

                if ((mask.shape[0] != batch && mask.shape[0] != 1) || mask.shape[1] != 1 || mask.shape[2] != steps || mask.shape[3] != keys)
                {
                    throw new ArgumentException($"a 4-d attention mask must be (batch={batch} or 1, 1, T={steps}, past+T={keys}) (got ({string.Join(", ", mask.shape)}))");
                }

                return mask.alias();
            default:
                throw new ArgumentException($"attention mask must have rank 2 (padding) or 4 (explicit) (got rank {mask.dim()})");
        }
    }

    private static Tensor CausalWithOffset(long steps, long past, Device device)
    {
        var keyPos = arange(past + steps, ScalarType.Int64, device).unsqueeze(0); // (1, S)
        var queryPos = arange(past, past + steps, 1, ScalarType.Int64, device).unsqueeze(1); // (T, 1)
        return keyPos <= queryPos; // (T, S)
    }

    private static Tensor RunStarts(Tensor segmentIds)
    {
        var steps = segmentIds.shape[1];
        var first = ones([segmentIds.shape[0], 1], ScalarType.Bool, segmentIds.device); // (B, 1)
        if (steps == 1)
        {
            return first;
        }

        var changed = segmentIds.narrow(1, 1, steps - 1) != segmentIds.narrow(1, 0, steps - 1); // (B, T-1)
        return cat([first, changed], 1); // (B, T)
    }

    private static Tensor RunIds(Tensor segmentIds) => RunStarts(segmentIds).to_type(ScalarType.Int64).cumsum(1);

    private static void CheckRank2(Tensor t, string name)
    {
        ArgumentNullException.ThrowIfNull(t, name);
        if (t.dim() != 2)
        {
            throw new ArgumentException($"{name} must be (B, T) (got rank {t.dim()})", name);
        }
    }
}
