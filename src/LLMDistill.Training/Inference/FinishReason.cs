namespace LLMDistill.Inference;

/// <summary>Why a row stopped.</summary>
public enum FinishReason
{
    /// <summary>A stop token was generated (it is the row's last token).</summary>
    Stop,

    /// <summary>The row reached its maximum number of new tokens.</summary>
    Length,
}
