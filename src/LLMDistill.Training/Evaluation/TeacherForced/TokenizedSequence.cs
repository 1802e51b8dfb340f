namespace LLMDistill.Evaluation.TeacherForced;

/// <summary>
/// One teacher-forced sequence: prompt ids followed by response ids. Only the response tokens are scored: the logits
/// at positions <c>PromptLength − 1 .. Count − 2</c> predict <c>Ids[PromptLength..]</c>.
/// </summary>
/// <param name="Ids">Prompt and response ids (BOS included when the model wants one).</param>
/// <param name="PromptLength">Ids of the prompt, at least 1 and less than <c>Ids.Count</c>.</param>
public sealed record TokenizedSequence(IReadOnlyList<int> Ids, int PromptLength)
{
    /// <summary>Response tokens scored.</summary>
    public int ResponseLength => Ids.Count - PromptLength;

    /// <summary>Checks the shape of the sequence against a vocabulary.</summary>
    /// <param name="vocabSize">The model's vocabulary size.</param>
    /// <param name="index">The sequence's index, for the message.</param>
    /// <exception cref="ArgumentException">No prompt or no response, or an id outside the vocabulary.</exception>
    public void Validate(int vocabSize, int index)
    {
        if (Ids is null || PromptLength < 1 || PromptLength >= Ids.Count)
        {
            throw new ArgumentException($"sequence {index}: needs at least one prompt and one response token (got {Ids?.Count ?? 0} ids, prompt length {PromptLength})");
        }

        for (var i = 0; i < Ids.Count; i++)
        {
            if (Ids[i] < 0 || Ids[i] >= vocabSize)
            {
                throw new ArgumentException($"sequence {index}: id {Ids[i]} at position {i} is outside the vocabulary [0, {vocabSize})");
            }
        }
    }
}
