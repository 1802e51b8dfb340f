namespace LLMDistill.Generation.Pipeline;

/// <summary>The candidates of one expansion request (or of the seeds, round 0), in their canonical order.</summary>
internal sealed record CandidateBatch(int Round, int Request, IReadOnlyList<TaskCandidate> Candidates);
