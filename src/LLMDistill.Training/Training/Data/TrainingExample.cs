namespace LLMDistill.Training.Data;

/// <summary>
/// One tokenised sample: <see cref="Ids"/> = prompt ids followed by response ids. Token <c>Ids[i]</c> is a training
/// target (predicted at position i − 1) when i ≥ max(<see cref="PromptLength"/>, 1); prompt tokens carry label -100.
/// </summary>
/// <param name="Ids">Prompt then response token ids.</param>
/// <param name="PromptLength">How many leading ids are prompt (no loss on them).</param>
/// <param name="TopK">Stored teacher top-k per response token, or null.</param>
internal sealed record TrainingExample(int[] Ids, int PromptLength, StoredTopK? TopK = null)
{
    /// <summary>Number of tokens.</summary>
    public int Length => Ids.Length;

    /// <summary>Index of the first target token.</summary>
    public int FirstTarget => Math.Max(PromptLength, 1);

    /// <summary>Number of target tokens (positions that carry a loss).</summary>
    public int TargetCount => Math.Max(Ids.Length - FirstTarget, 0);

    /// <summary>The example cut to <paramref name="maxLength"/> tokens (the response end is cut), or null when no target would remain.</summary>
    public TrainingExample? Truncate(int maxLength)
    {
        if (Ids.Length <= maxLength)
        {
            return TargetCount > 0 ? this : null;
        }

        var cut = new TrainingExample(Ids[..maxLength], PromptLength, TopK?.Truncate(maxLength - PromptLength));
        return cut.TargetCount > 0 ? cut : null;
    }
}
