namespace LLMDistill.Generation.Seeds;

/// <summary>The seeds read for a run.</summary>
/// <param name="Seeds">Usable seeds for the run's mode, in file then line order.</param>
/// <param name="Files">Files read, in order.</param>
/// <param name="Errors">Malformed lines skipped, each <c>file:line: reason</c>.</param>
/// <param name="OtherMode">Seeds skipped because they are written for the other mode.</param>
public sealed record SeedLoadResult(IReadOnlyList<SeedTask> Seeds, IReadOnlyList<string> Files, IReadOnlyList<string> Errors, int OtherMode);
