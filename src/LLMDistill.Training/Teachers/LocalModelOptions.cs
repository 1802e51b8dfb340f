using LLMDistill.Inference;
using LLMDistill.Tokenization;
using static TorchSharp.torch;

namespace LLMDistill.Teachers;

/// <summary>How to load a <see cref="LocalModel"/>.</summary>
/// <param name="Directory">A Hugging Face model directory (config.json, safetensors, tokenizer files).</param>
/// <param name="Name">The model's name in responses and <c>/v1/models</c>; null = the directory's name.</param>
/// <param name="Device">Where the model runs.</param>
/// <param name="Dtype">Weight dtype.</param>
/// <param name="ChatTemplate">Chat template; <see cref="ChatTemplateKind.Auto"/> detects it (the Plain template when the model has none).</param>
/// <param name="Scheduler">Batching of concurrent requests.</param>
public sealed record LocalModelOptions(
    string Directory,
    string? Name,
    Device Device,
    ScalarType Dtype,
    ChatTemplateKind ChatTemplate,
    SchedulerOptions Scheduler);
