namespace LLMDistill.Tests.Losses;

/// <summary>Tests that redirect <see cref="Console"/> run alone, not beside other tests.</summary>
[CollectionDefinition(nameof(InspectLossConsole), DisableParallelization = true)]
public sealed class InspectLossConsole;
