namespace LLMDistill.Losses.Reference;

/// <summary>
/// One case of a loss reference file (format of <c>../shared/fixtures/hf/loss-reference.json</c>): student and
/// teacher logits [B][T][V], mask and labels [B][T], hyper-parameters and optional expected values. Arrays are
/// flattened row-major.
/// </summary>
internal sealed record LossReferenceCase(
    int Index,
    int Batch,
    int Time,
    int Vocab,
    IReadOnlyList<double> Student,
    IReadOnlyList<double> Teacher,
    IReadOnlyList<double> Mask,
    IReadOnlyList<long> Labels,
    double Tau,
    double Beta,
    int K,
    double Alpha,
    LossReferenceValues? Expected);
