namespace LLMDistill.Training.Options;

/// <summary>How samples are laid out in the rows of a batch.</summary>
public enum BatchingMode
{
    /// <summary>Several samples per row, each attending only to itself (block-diagonal causal mask, positions restart per sample).</summary>
    Packed,

    /// <summary>One sample per row, padded on the right to the longest row of the batch.</summary>
    Padded,
}
