using static TorchSharp.torch;

namespace LLMDistill.Training.Distillation;

/// <summary>The loss of one micro-batch.</summary>
/// <param name="Total">0-dim loss with autograd (training) or without (evaluation).</param>
/// <param name="Parts">Detached 0-dim parts by metrics name (ce, forward_kl, ..., hidden_mse); read them only when logging.</param>
/// <param name="Targets">Positions the token-level means are over.</param>
internal sealed record StepLoss(Tensor Total, IReadOnlyDictionary<string, Tensor> Parts, long Targets);
