using LLMDistill.Data;

namespace LLMDistill.Generation.Pipeline;

/// <summary>A decided candidate for the sink: a sample for a shard or a rejection for <c>rejected.jsonl</c>.</summary>
internal sealed record SinkRecord(DistillationSample? Sample, RejectedSample? Rejected);
