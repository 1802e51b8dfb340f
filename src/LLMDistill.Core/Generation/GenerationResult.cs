using LLMDistill.Data;

namespace LLMDistill.Generation;

/// <summary>The outcome of <see cref="GenerationPipeline.RunAsync"/>.</summary>
/// <param name="OutputDirectory">The dataset directory.</param>
/// <param name="Manifest">The manifest written at the end.</param>
/// <param name="AlreadyComplete">The directory held a complete run with the same configuration; nothing was done.</param>
public sealed record GenerationResult(string OutputDirectory, DatasetManifest Manifest, bool AlreadyComplete);
