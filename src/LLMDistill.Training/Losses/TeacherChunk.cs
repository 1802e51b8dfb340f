using static TorchSharp.torch;

namespace LLMDistill.Losses;

/// <summary>Teacher targets for a set of rows: dense logits (n, V), or sparse ids/logprobs/valid (n, k).</summary>
internal sealed record TeacherChunk(Tensor? Logits, Tensor? Ids, Tensor? Logprobs, Tensor? Valid);
