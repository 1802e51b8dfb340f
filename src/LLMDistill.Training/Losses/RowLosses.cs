using static TorchSharp.torch;

namespace LLMDistill.Losses;

/// <summary>
/// Per-row kernels on already upcast (n, V) log-probabilities (computed once per call and shared by the terms);
/// each returns (n). The public functions select rows, upcast, call these and reduce, so the dense, objective and
/// chunked paths share one implementation.
/// </summary>
internal static class RowLosses
{
    /// <summary>
    /// KL(P || Q) = Σ_v p (log p − log q) per row, from log-probabilities, with 0·log 0 = 0. Entries with p = 0
    /// (including -inf or NaN log p) are replaced by 0 before the product, so neither value nor gradient sees
    /// 0·∞; where p &gt; 0 and q = 0 the result is +∞, which is the true value.
    /// </summary>
    public static Tensor Kl(Tensor logP, Tensor logQ)
    {
        var p = logP.exp();
        var zero = p.gt(0).logical_not();
        var diff = logP.masked_fill(zero, 0) - logQ.masked_fill(zero, 0);
        return (p.masked_fill(zero, 0) * diff).sum(-1);
    }

    /// <summary>τ² · KL(p_t || p_s) at temperature τ (Hinton et al. 2015), from log p_s and log p_t at τ.</summary>
    public static Tensor ForwardKl(Tensor logPs, Tensor logPt, double tau) => Kl(logPt, logPs) * (tau * tau);

    /// <summary>τ² · KL(p_s || p_t) at temperature τ (Gu et al. 2024, MiniLLM), from log p_s and log p_t at τ.</summary>
    public static Tensor ReverseKl(Tensor logPs, Tensor logPt, double tau) => Kl(logPs, logPt) * (tau * tau);

    /// <summary>β·KL(p_t || m) + (1−β)·KL(p_s || m), m = β p_t + (1−β) p_s (Agarwal et al. 2024, Eq. 1).</summary>
    public static Tensor GeneralizedJsd(Tensor logPs, Tensor logPt, double beta)
    {
        // log m in log space; clamping at the lowest finite value keeps logaddexp's gradient finite when both
        // arguments are -inf (β ∈ {0, 1}, or a zero of both distributions).
        var lowest = logPs.dtype == ScalarType.Float64 ? double.MinValue : float.MinValue;
        var logM = (logPt + Math.Log(beta)).clamp_min(lowest).logaddexp((logPs + Math.Log(1 - beta)).clamp_min(lowest));
        return (Kl(logPt, logM) * beta) + (Kl(logPs, logM) * (1 - beta));
    }

    /// <summary>
    /// τ² · Σ_{v ∈ top-k(teacher)} q_v (log q_v − log p_s,v), q = softmax of the top-k teacher logits / τ, which is
    /// the renormalised top-k of p_t (log p_t differs from logits / τ by a constant per row).
    /// </summary>
    public static Tensor TopKKl(Tensor logPs, Tensor logPt, int k, double tau)
    {
        var (values, ids) = logPt.topk(k, dim: -1);
        return Kl(values.log_softmax(-1), logPs.gather(-1, ids)) * (tau * tau);
    }

    /// <summary>
    /// Top-k KL from sparse targets (n, k) and log p_s at τ. <paramref name="valid"/> marks real slots; a row with
    /// no valid slot contributes 0. Renormalise: q = softmax(logprob / τ) over the valid slots, exactly
    /// <see cref="TopKKl"/>. OtherBucket (τ = 1 only): the slots keep their probabilities and the rest 1 − Σp is one
    /// bucket compared with the student's mass outside the slots.
    /// </summary>
    public static Tensor SparseTopKKl(Tensor logPs, Tensor ids, Tensor logprobs, Tensor valid, double tau, SparseMissingMass missingMass)
    {
        var invalid = valid.logical_not();
        var teacherLogp = logprobs.masked_fill(invalid, double.NegativeInfinity);
        var studentLogp = logPs.gather(-1, ids.masked_fill(invalid, 0));     // (n, k)
        if (missingMass == SparseMissingMass.Renormalize)
        {
            return Kl(LogSoftmax(teacherLogp, tau), studentLogp) * (tau * tau);
        }

        // Smallest normal value of the dtype: a finite log even when the student puts all its mass on the slots.
        var tiny = logPs.dtype == ScalarType.Float64 ? 2.2250738585072014e-308 : 1.17549435e-38;
        var topMass = Kl(teacherLogp, studentLogp);
        var teacherRest = (1 - teacherLogp.exp().sum(-1)).clamp_min(0);                                // (n)
        var studentRest = (1 - studentLogp.exp().masked_fill(invalid, 0).sum(-1)).clamp_min(tiny);     // (n)
        return topMass + Kl(teacherRest.log().unsqueeze(-1), studentRest.log().unsqueeze(-1));
    }

    /// <summary>−log softmax(student)[label] (no temperature), from log p_s at τ = 1; rows labelled -100 give 0.</summary>
    public static Tensor CrossEntropy(Tensor logPs, Tensor labels)
    {
        var ignored = labels.eq(DistillationLosses.IgnoreIndex);
        var logp = logPs.gather(-1, labels.masked_fill(ignored, 0).unsqueeze(-1)).squeeze(-1);
        return logp.neg().masked_fill(ignored, 0);
    }

    /// <summary>The teacher's largest probability per row at temperature 1, from dense logits.</summary>
    public static Tensor MaxProbability(Tensor teacher) => (teacher.amax(-1) - teacher.logsumexp(-1)).exp();

    /// <summary>The teacher's largest probability per row from sparse log-probabilities; 0 for a row without slots.</summary>
    public static Tensor MaxProbability(Tensor logprobs, Tensor valid)
        => logprobs.masked_fill(valid.logical_not(), double.NegativeInfinity).amax(-1).exp();

    /// <summary>log_softmax(logits / τ) over the last dimension.</summary>
    public static Tensor LogSoftmax(Tensor logits, double tau) => (tau == 1 ? logits : logits / tau).log_softmax(-1);
}
