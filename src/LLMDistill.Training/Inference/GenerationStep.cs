namespace LLMDistill.Inference;

/// <summary>A streamed event: one new token of one request.</summary>
/// <param name="RequestIndex">Index of the request in the list given to the generator.</param>
/// <param name="Token">The token.</param>
/// <param name="FinishReason">Set on the request's last token.</param>
public sealed record GenerationStep(int RequestIndex, GeneratedToken Token, FinishReason? FinishReason);
