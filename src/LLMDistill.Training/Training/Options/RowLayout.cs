namespace LLMDistill.Training.Options;

/// <summary>
/// How the trainer lays samples out in the rows of a batch (configured as <c>Train:Batching</c>). Not the serving
/// scheduler's <see cref="Inference.BatchingMode"/>.
/// </summary>
public enum RowLayout
{
    /// <summary>Several samples per row, each attending only to itself (block-diagonal causal mask, positions restart per sample).</summary>
    Packed,

    /// <summary>One sample per row, padded on the right to the longest row of the batch.</summary>
    Padded,
}
