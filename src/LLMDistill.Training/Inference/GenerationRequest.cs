namespace LLMDistill.Inference;

/// <summary>One prompt to continue.</summary>
/// <param name="PromptIds">The prompt's token ids (at least one; the caller adds BOS if the model wants it).</param>
/// <param name="Sampling">How to decode this row.</param>
public sealed record GenerationRequest(IReadOnlyList<int> PromptIds, DecodingParameters Sampling);
