using static TorchSharp.torch;

namespace LLMDistill.Training.Data;

/// <summary>
/// One micro-batch on the device. The tensors belong to the caller's dispose scope.
/// </summary>
/// <param name="InputIds">(B, T) int64, padding = the pad id.</param>
/// <param name="Labels">(B, T) int64: the next token where it is a target, -100 elsewhere (prompt, sample ends, padding).</param>
/// <param name="Valid">(B, T) bool: real tokens (not padding).</param>
/// <param name="PositionIds">(B, T) int64 restarting at every packed sample, or null (plain 0..T-1).</param>
/// <param name="AttentionMask">(B, 1, T, T) bool block-diagonal causal mask when a row holds several samples, else null (plain causal).</param>
/// <param name="TopIds">(B, T, K) int64 stored top-k ids at each target position, or null.</param>
/// <param name="TopLogprobs">(B, T, K) float32 their log-probabilities, or null.</param>
/// <param name="TopMask">(B, T, K) bool: which slots are real, or null.</param>
/// <param name="Tokens">Real tokens in the batch.</param>
/// <param name="Targets">Target positions in the batch.</param>
internal sealed record BatchTensors(
    Tensor InputIds,
    Tensor Labels,
    Tensor Valid,
    Tensor? PositionIds,
    Tensor? AttentionMask,
    Tensor? TopIds,
    Tensor? TopLogprobs,
    Tensor? TopMask,
    long Tokens,
    long Targets);
