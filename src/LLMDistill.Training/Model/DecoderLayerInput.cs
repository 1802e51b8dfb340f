using static TorchSharp.torch;

namespace LLMDistill.Model;

/// <summary>What a decoder layer (and its attention) needs besides the weights.</summary>
/// <param name="HiddenStates">(B, T, C) residual stream.</param>
/// <param name="Rotary">cos/sin tables for the T positions.</param>
/// <param name="Mask">Boolean mask (B or 1, 1, T, past + T), true = may attend; null with <paramref name="IsCausal"/> or for one query token.</param>
/// <param name="IsCausal">Use SDPA's built-in causal mask (only valid when there is no past and no explicit mask).</param>
/// <param name="Cache">KV cache to append to and attend over, or null.</param>
internal sealed record DecoderLayerInput(Tensor HiddenStates, RotaryTables Rotary, Tensor? Mask, bool IsCausal, KvCache? Cache);
