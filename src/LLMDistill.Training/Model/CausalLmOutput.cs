using static TorchSharp.torch;

namespace LLMDistill.Model;

/// <summary>Output of <see cref="LlamaForCausalLM.forward(CausalLmInput)"/>; the tensors belong to the caller's dispose scope.</summary>
/// <param name="LastHiddenState">(B, T, C) after the final norm: the lm_head input.</param>
/// <param name="Logits">(B, T, V) in the weights' dtype, or null when <see cref="CausalLmInput.ComputeLogits"/> was false.</param>
/// <param name="HiddenStates">
/// With <see cref="CausalLmInput.OutputHiddenStates"/>: num_layers + 1 tensors (B, T, C): the embeddings, then the
/// output of every layer before the final norm. Null otherwise.
/// </param>
public sealed record CausalLmOutput(Tensor LastHiddenState, Tensor? Logits, IReadOnlyList<Tensor>? HiddenStates) : IDisposable
{
    /// <summary>Disposes every tensor of the output (for callers that do not use a dispose scope).</summary>
    public void Dispose()
    {
        LastHiddenState.Dispose();
        Logits?.Dispose();
        if (HiddenStates is not null)
        {
            foreach (var h in HiddenStates)
            {
                h.Dispose();
            }
        }
    }
}
