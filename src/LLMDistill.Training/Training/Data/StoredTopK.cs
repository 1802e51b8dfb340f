namespace LLMDistill.Training.Data;

/// <summary>
/// The teacher's stored top-k log-probabilities for the response tokens of one sample: entry j belongs to response
/// token j (the prediction made at the position before it). Entries may be empty (no usable slot there).
/// </summary>
/// <param name="Ids">Per response token, the teacher's top token ids (distinct).</param>
/// <param name="Logprobs">Per response token, their log-probabilities at temperature 1.</param>
internal sealed record StoredTopK(int[][] Ids, float[][] Logprobs)
{
    /// <summary>Most slots at any position.</summary>
    public int MaxSlots => Ids.Length == 0 ? 0 : Ids.Max(s => s.Length);

    /// <summary>The first <paramref name="count"/> entries.</summary>
    public StoredTopK Truncate(int count)
    {
        var n = Math.Clamp(count, 0, Ids.Length);
        return new StoredTopK(Ids[..n], Logprobs[..n]);
    }
}
