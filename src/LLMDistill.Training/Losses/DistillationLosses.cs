using static TorchSharp.torch;

namespace LLMDistill.Losses;

/// <summary>
/// Distillation losses as pure static functions, with the conventions of <c>../shared/fixtures/hf/README.md</c>:
/// <list type="bullet">
/// <item>Logits are (B, T, V) or (N, V) of any floating dtype; the computation runs in float32, or float64 when the
/// student logits are float64 (bf16/fp16 are upcast). The result is a 0-dim tensor of that dtype.</item>
/// <item><c>mask</c> is (B, T) or (N) (bool or numeric, non-zero = the position counts) or null (all count);
/// <c>labels</c> are int64 with <see cref="IgnoreIndex"/> (-100) for positions that do not count. Both, when given,
/// select the positions of every term.</item>
/// <item>Reduction: mean over counted positions, mean_valid(x) = Σ_counted x / count; 0 (not NaN) when nothing counts.
/// Masked-out positions are never computed, so padding cannot leak NaN or gradient.</item>
/// <item>p_t = softmax(teacher / τ), log p_s = log_softmax(student / τ), computed with log_softmax; 0·log 0 = 0,
/// so teachers with exact zeros (-inf logits) are fine.</item>
/// </list>
/// Gradients flow to the student (and to the teacher if its logits require grad; pass them detached).
/// </summary>
public static partial class DistillationLosses
{
    /// <summary>The label of a position that does not count (the PyTorch/Hugging Face convention).</summary>
    public const long IgnoreIndex = -100;

    /// <summary>
    /// Forward KL, τ² · mean_valid(Σ_v p_t (log p_t − log p_s)): the soft-target loss of Hinton et al. 2015,
    /// "Distilling the Knowledge in a Neural Network" (the τ² keeps gradient magnitudes independent of τ).
    /// </summary>
    /// <param name="studentLogits">(B, T, V) or (N, V).</param>
    /// <param name="teacherLogits">Same shape as <paramref name="studentLogits"/>.</param>
    /// <param name="mask">(B, T) or (N), non-zero = counts; null = all positions count.</param>
    /// <param name="temperature">Softmax temperature τ &gt; 0.</param>
    /// <returns>0-dim loss (float32, or float64 for float64 input).</returns>
    /// <exception cref="ArgumentException">Shapes disagree or τ is not positive.</exception>
    public static Tensor ForwardKl(Tensor studentLogits, Tensor teacherLogits, Tensor? mask = null, double temperature = 1.0)
        => Dense(studentLogits, teacherLogits, mask, temperature, (logPs, logPt) => RowLosses.ForwardKl(logPs, logPt, temperature));

    /// <summary>
    /// Reverse KL, τ² · mean_valid(Σ_v p_s (log p_s − log p_t)): mode-seeking, as in Gu et al. 2024, "MiniLLM:
    /// Knowledge Distillation of Large Language Models". +∞ where the teacher gives probability 0 to a token the
    /// student does not.
    /// </summary>
    /// <param name="studentLogits">(B, T, V) or (N, V).</param>
    /// <param name="teacherLogits">Same shape as <paramref name="studentLogits"/>.</param>
    /// <param name="mask">(B, T) or (N), non-zero = counts; null = all positions count.</param>
    /// <param name="temperature">Softmax temperature τ &gt; 0.</param>
    /// <returns>0-dim loss.</returns>
    public static Tensor ReverseKl(Tensor studentLogits, Tensor teacherLogits, Tensor? mask = null, double temperature = 1.0)
        => Dense(studentLogits, teacherLogits, mask, temperature, (logPs, logPt) => RowLosses.ReverseKl(logPs, logPt, temperature));

    /// <summary>
    /// Generalized Jensen-Shannon divergence of Agarwal et al. 2024, "On-Policy Distillation of Language Models:
    /// Learning from Self-Generated Mistakes" (GKD), Eq. (1):
    /// mean_valid(β·KL(p_t ‖ m) + (1−β)·KL(p_s ‖ m)), m = β p_t + (1−β) p_s, both at temperature τ, without τ².
    /// Bounded and finite even where either distribution has zeros. β = 0 or 1 gives exactly 0; for small β it
    /// behaves like β·KL(p_t ‖ p_s) and near β = 1 like (1−β)·KL(p_s ‖ p_t). (TRL special-cases β = 0 and 1 as
    /// forward/reverse KL instead; use <see cref="ForwardKl"/>/<see cref="ReverseKl"/> for those.)
    /// </summary>
    /// <param name="studentLogits">(B, T, V) or (N, V).</param>
    /// <param name="teacherLogits">Same shape as <paramref name="studentLogits"/>.</param>
    /// <param name="mask">(B, T) or (N), non-zero = counts; null = all positions count.</param>
    /// <param name="beta">β in [0, 1].</param>
    /// <param name="temperature">Softmax temperature τ &gt; 0.</param>
    /// <returns>0-dim loss.</returns>
    public static Tensor GeneralizedJsd(Tensor studentLogits, Tensor teacherLogits, Tensor? mask = null, double beta = 0.5, double temperature = 1.0)
    {
        LossTensors.CheckUnitInterval(beta, nameof(beta));
        return Dense(studentLogits, teacherLogits, mask, temperature, (logPs, logPt) => RowLosses.GeneralizedJsd(logPs, logPt, beta));
    }

    /// <summary>
    /// Top-k KL, τ² · mean_valid(Σ_{v ∈ top-k(teacher)} q_v (log q_v − log p_s,v)), q = softmax over the teacher's k
    /// largest logits / τ (renormalised), p_s the student's full-vocabulary distribution at τ.
    /// </summary>
    /// <param name="studentLogits">(B, T, V) or (N, V).</param>
    /// <param name="teacherLogits">Same shape as <paramref name="studentLogits"/>.</param>
    /// <param name="k">Number of teacher tokens, 1 ≤ k ≤ V.</param>
    /// <param name="mask">(B, T) or (N), non-zero = counts; null = all positions count.</param>
    /// <param name="temperature">Softmax temperature τ &gt; 0.</param>
    /// <returns>0-dim loss.</returns>
    public static Tensor TopKKl(Tensor studentLogits, Tensor teacherLogits, int k, Tensor? mask = null, double temperature = 1.0)
    {
        ArgumentNullException.ThrowIfNull(studentLogits);
        if (k < 1 || k > studentLogits.shape[^1])
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be in [1, {studentLogits.shape[^1]}]");
        }

        return Dense(studentLogits, teacherLogits, mask, temperature, (logPs, logPt) => RowLosses.TopKKl(logPs, logPt, k, temperature));
    }

    /// <summary>
    /// Top-k KL from sparse teacher targets: the teacher's log-probabilities (at temperature 1) at its top-k ids,
    /// from an API's <c>top_logprobs</c> or a stored local top-k. With <see cref="SparseMissingMass.Renormalize"/>
    /// this equals <see cref="TopKKl"/> on the dense logits; <see cref="SparseMissingMass.OtherBucket"/> (τ = 1 only)
    /// compares the rest 1 − Σp with the student's mass outside the k ids. A position without a valid slot
    /// contributes 0 but still counts in the mean.
    /// </summary>
    /// <param name="studentLogits">(B, T, V) or (N, V).</param>
    /// <param name="teacherTopIds">(B, T, k) or (N, k) int64, distinct ids per position.</param>
    /// <param name="teacherTopLogprobs">(B, T, k) or (N, k) log-probabilities; -inf = probability 0.</param>
    /// <param name="slotMask">(B, T, k) or (N, k), non-zero = the slot is real; null = all slots are real.</param>
    /// <param name="mask">(B, T) or (N), non-zero = counts; null = all positions count.</param>
    /// <param name="temperature">Softmax temperature τ &gt; 0 (must be 1 with OtherBucket).</param>
    /// <param name="missingMass">Treatment of the probability outside the top-k.</param>
    /// <returns>0-dim loss.</returns>
    public static Tensor SparseTopKKl(
        Tensor studentLogits,
        Tensor teacherTopIds,
        Tensor teacherTopLogprobs,
        Tensor? slotMask = null,
        Tensor? mask = null,
        double temperature = 1.0,
        SparseMissingMass missingMass = SparseMissingMass.Renormalize)
    {
        ArgumentNullException.ThrowIfNull(studentLogits);
        using var scope = NewDisposeScope();
        var objective = new DistillationObjective([new LossTerm(DistillationLossKind.TopKKl, 1)]) { Temperature = temperature, MissingMass = missingMass };
        return Evaluate(studentLogits, TeacherTargets.FromTopK(teacherTopIds, teacherTopLogprobs, slotMask), objective, null, mask).Total.MoveToOuterDisposeScope();
    }

    private static Tensor Dense(Tensor student, Tensor teacher, Tensor? mask, double temperature, Func<Tensor, Tensor, Tensor> rowLoss)   // (log p_s, log p_t) at τ -> (n)
    {
        ArgumentNullException.ThrowIfNull(student);
        ArgumentNullException.ThrowIfNull(teacher);
        LossTensors.CheckLogits(student, "studentLogits");
        LossTensors.CheckLogits(teacher, "teacherLogits");
        LossTensors.CheckSameShape(student, teacher);
        LossTensors.CheckTemperature(temperature);

        using var scope = NewDisposeScope();
        var index = LossTensors.CountedRows(LossTensors.Positions(student), mask, labels: null);
        var type = LossTensors.ComputeType(student);
        var s = LossTensors.Upcast(LossTensors.Select(LossTensors.Rows(student), index), type);     // (n, V)
        var t = LossTensors.Upcast(LossTensors.Select(LossTensors.Rows(teacher), index), type);     // (n, V)
        var rows = rowLoss(RowLosses.LogSoftmax(s, temperature), RowLosses.LogSoftmax(t, temperature));   // (n)
        return LossTensors.MeanOverRows(rows.sum(), s.shape[0]).MoveToOuterDisposeScope();
    }
}
