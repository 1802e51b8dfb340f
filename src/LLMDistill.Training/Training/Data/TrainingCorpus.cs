namespace LLMDistill.Training.Data;

/// <summary>Tokenised training and held-out examples, with what happened on the way (for the start-up summary).</summary>
/// <param name="Train">Training examples, each at most <c>Train:SequenceLength</c> tokens.</param>
/// <param name="Eval">Held-out examples (may be empty).</param>
/// <param name="Stats">Counts.</param>
internal sealed record TrainingCorpus(IReadOnlyList<TrainingExample> Train, IReadOnlyList<TrainingExample> Eval, CorpusStats Stats)
{
    /// <summary>Most stored top-k slots at any position of any example (0 = no stored targets).</summary>
    public int TopKSlots { get; } = Train.Concat(Eval).Select(e => e.TopK?.MaxSlots ?? 0).DefaultIfEmpty(0).Max();
}

/// <summary>What loading the data did.</summary>
/// <param name="Format">dataset, jsonl or text.</param>
/// <param name="Samples">Samples (text: blocks) read before the split.</param>
/// <param name="Dropped">Samples left out because no response token fit in a row.</param>
/// <param name="Truncated">Samples cut to the row length.</param>
/// <param name="TopKAligned">Samples whose stored logprobs became top-k targets.</param>
/// <param name="TopKUnaligned">Samples whose stored logprobs could not be mapped onto the tokenizer.</param>
/// <param name="TrainTokens">Tokens in the training examples.</param>
internal sealed record CorpusStats(string Format, int Samples, int Dropped, int Truncated, int TopKAligned, int TopKUnaligned, long TrainTokens);
