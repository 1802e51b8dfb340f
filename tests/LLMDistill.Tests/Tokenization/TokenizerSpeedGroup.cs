namespace LLMDistill.Tests.Tokenization;

/// <summary>Runs its tests alone (no parallel test classes) so timings mean something on a shared 2-core machine.</summary>
[CollectionDefinition(nameof(TokenizerSpeedTests), DisableParallelization = true)]
public sealed class TokenizerSpeedGroup;
