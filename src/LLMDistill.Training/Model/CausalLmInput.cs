using static TorchSharp.torch;

namespace LLMDistill.Model;

/// <summary>Input of <see cref="LlamaForCausalLM.forward(CausalLmInput)"/>. The caller keeps ownership of every tensor.</summary>
/// <param name="InputIds">(B, T) int64 token ids.</param>
/// <param name="PositionIds">
/// (B, T) int64 rotary positions; null means <c>past .. past + T - 1</c> for every row. Generation with left padding
/// passes <c>cumsum(mask) - 1</c>; packed training rows pass positions that restart at each sample
/// (<see cref="AttentionMasks.PackedPositionIds"/>).
/// </param>
/// <param name="AttentionMask">
/// Null for plain causal attention (the SDPA <c>is_causal</c> fast path). Rank 2 (B, past + T): a key-padding mask
/// (nonzero/true = real token, false = padding), combined with the causal mask. Rank 4 (B or 1, 1, T, past + T) bool:
/// used as given, true = may attend (e.g. <see cref="AttentionMasks.BlockCausal"/> for packed rows).
/// </param>
/// <param name="Cache">KV cache: the pass attends over its contents and appends the T new positions; null for none.</param>
/// <param name="ComputeLogits">False to skip the lm_head (callers that compute logits in chunks with <see cref="LlamaForCausalLM.LmHead"/>).</param>
/// <param name="OutputHiddenStates">True to also return every layer's hidden state (hidden-state distillation).</param>
public sealed record CausalLmInput(
    Tensor InputIds,
    Tensor? PositionIds = null,
    Tensor? AttentionMask = null,
    KvCache? Cache = null,
    bool ComputeLogits = true,
    bool OutputHiddenStates = false);
