namespace LLMDistill.Evaluation;

/// <summary>Where the reference answers of the sequence-level metrics come from.</summary>
public enum ReferenceSource
{
    /// <summary>The dataset's responses when the data has them (dataset directories, JSONL), otherwise fresh teacher answers.</summary>
    Auto,

    /// <summary>Only the dataset's responses (none for plain text).</summary>
    Dataset,

    /// <summary>Fresh greedy answers of every teacher to the same prompts.</summary>
    Teachers,
}
