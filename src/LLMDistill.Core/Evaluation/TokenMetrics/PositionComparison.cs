namespace LLMDistill.Evaluation.TokenMetrics;

/// <summary>
/// How two models' next-token distributions compare at one teacher-forced position: the per-position statistic the
/// TorchSharp side computes (or <see cref="DistributionComparison.Compare"/> computes from log-probabilities).
/// P is the reference model (usually a teacher), Q the compared model (usually the student).
/// </summary>
/// <param name="Position">0-based index of the predicted token within its sequence (response tokens only, if masked).</param>
/// <param name="SequenceLength">Length of the sequence the position belongs to, in the same units.</param>
/// <param name="Top1Agrees">argmax P = argmax Q.</param>
/// <param name="TopKAgrees">argmax P is among the k most likely tokens of Q.</param>
/// <param name="ForwardKl">KL(P ‖ Q) in nats (the "forward" KL of distillation: teacher ‖ student).</param>
/// <param name="ReverseKl">KL(Q ‖ P) in nats.</param>
/// <param name="Jsd">Jensen–Shannon divergence ½KL(P ‖ M) + ½KL(Q ‖ M), M = ½(P + Q), in nats (at most ln 2).</param>
public readonly record struct PositionComparison(
    int Position,
    int SequenceLength,
    bool Top1Agrees,
    bool TopKAgrees,
    double ForwardKl,
    double ReverseKl,
    double Jsd);
