namespace LLMDistill.Inference;

/// <summary>The continuation of one request.</summary>
/// <param name="PromptIds">The prompt, as given.</param>
/// <param name="Tokens">The generated tokens in order (a stop token, if hit, is the last one).</param>
/// <param name="FinishReason">Why generation stopped.</param>
public sealed record GenerationResult(IReadOnlyList<int> PromptIds, IReadOnlyList<GeneratedToken> Tokens, FinishReason FinishReason)
{
    /// <summary>The generated ids.</summary>
    public IReadOnlyList<int> TokenIds => Tokens.Select(t => t.Id).ToArray();

    /// <summary>Prompt ids followed by generated ids.</summary>
    public IReadOnlyList<int> AllIds => PromptIds.Concat(Tokens.Select(t => t.Id)).ToArray();
}
