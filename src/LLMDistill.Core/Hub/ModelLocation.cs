namespace LLMDistill.Hub;

/// <summary>Where a model reference resolved to.</summary>
/// <param name="Directory">The absolute model directory (config.json, weights, tokenizer).</param>
/// <param name="Reference">The reference as configured (a path or <c>hf:org/name[@revision]</c>).</param>
/// <param name="Snapshot">For Hub references, the cached snapshot (repository and commit for provenance); null for local directories.</param>
public sealed record ModelLocation(string Directory, string Reference, HubSnapshot? Snapshot);
