namespace LLMDistill.Data;

/// <summary>One sample file of a dataset directory.</summary>
/// <param name="File">File name, e.g. <c>samples-00000.jsonl</c>.</param>
/// <param name="Samples">Samples it holds.</param>
public sealed record ManifestShard(string File, long Samples);
