namespace LLMDistill.Teachers;

/// <summary>The answer of a <see cref="LocalModel"/> to one request.</summary>
/// <param name="Choices">The choices, in index order.</param>
/// <param name="PromptTokens">Tokens in the prompt (counted once, whatever n is).</param>
/// <param name="CompletionTokens">Tokens generated over all choices.</param>
public sealed record LocalCompletion(IReadOnlyList<LocalChoice> Choices, int PromptTokens, int CompletionTokens);
