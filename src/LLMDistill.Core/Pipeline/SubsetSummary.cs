namespace LLMDistill.Pipeline;

/// <summary>What one subset of a split dataset holds, for the report.</summary>
/// <param name="Name">The subset (<c>heldout</c>, <c>train</c>, <c>filtered</c>, <c>random</c>).</param>
/// <param name="Directory">Its dataset directory.</param>
/// <param name="Samples">Samples in it.</param>
/// <param name="ResponseChars">Characters of all its responses together.</param>
/// <param name="MeanCombined">Mean combined teaching value, or null when no sample has one.</param>
/// <param name="MeanPerplexity">Mean teacher perplexity of the responses, or null.</param>
/// <param name="MeanIfd">Mean IFD, or null.</param>
public sealed record SubsetSummary(string Name, string Directory, int Samples, long ResponseChars, double? MeanCombined, double? MeanPerplexity, double? MeanIfd);
