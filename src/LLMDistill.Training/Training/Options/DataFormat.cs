namespace LLMDistill.Training.Options;

/// <summary>The kind of training data at <c>Train:Data:Path</c>.</summary>
public enum DataFormat
{
    /// <summary>A directory is a dataset from <c>generate</c>; <c>.jsonl</c>/<c>.json</c> is JSONL; anything else is text.</summary>
    Auto,

    /// <summary>A dataset directory written by <c>generate</c>/<c>merge</c> (<c>samples-*.jsonl</c>).</summary>
    Dataset,

    /// <summary>JSON Lines: <c>{"instruction","input"?,"response"}</c> (chat) or <c>{"prompt","completion"}</c> (raw text).</summary>
    Jsonl,

    /// <summary>Plain text, cut into blocks of <c>Train:SequenceLength</c> tokens (language-model distillation).</summary>
    Text,
}
