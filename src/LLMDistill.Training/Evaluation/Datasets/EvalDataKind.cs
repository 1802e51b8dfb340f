namespace LLMDistill.Evaluation.Datasets;

/// <summary>What kind of input the evaluation data came from.</summary>
public enum EvalDataKind
{
    /// <summary>A dataset directory of <c>generate</c>/<c>merge</c> (<c>samples-*.jsonl</c>, <c>rejected.jsonl</c>).</summary>
    DatasetDirectory,

    /// <summary>One JSONL file of dataset rows.</summary>
    Jsonl,

    /// <summary>Plain text, cut into windows of whole lines.</summary>
    Text,
}
