namespace LLMDistill.Pipeline;

/// <summary>How one stage of a job went.</summary>
/// <param name="Name">The stage.</param>
/// <param name="ConfigHash">The hash of everything that determines its output (its options and the upstream hashes).</param>
/// <param name="Skipped">True when its output was already complete for this hash.</param>
/// <param name="Elapsed">Time it took now (zero when skipped).</param>
public sealed record StageOutcome(string Name, string ConfigHash, bool Skipped, TimeSpan Elapsed);
