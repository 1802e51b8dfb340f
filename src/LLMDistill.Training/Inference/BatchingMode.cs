namespace LLMDistill.Inference;

/// <summary>How <see cref="GenerationScheduler"/> groups concurrent requests into forward passes.</summary>
public enum BatchingMode
{
    /// <summary>
    /// Iteration-level batching: new requests join the running batch between decoding steps, up to the maximum batch
    /// size, and finished rows leave at once. The default: no request waits for another to finish.
    /// </summary>
    Continuous,

    /// <summary>
    /// Dynamic batching: requests that arrive within a short window are decoded together, and the next group starts
    /// when the whole batch has finished. Kept as the baseline that continuous batching is measured against.
    /// </summary>
    Dynamic,
}
