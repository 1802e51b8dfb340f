namespace LLMDistill.Evaluation;

/// <summary>One model's answers to the generation samples, in sample order.</summary>
/// <param name="Name">Whose answers (a model name, or the dataset's teacher).</param>
/// <param name="Texts">The answers.</param>
/// <param name="TokenCounts">Model tokens per answer, where known (local models).</param>
internal sealed record AnswerSet(string Name, IReadOnlyList<string> Texts, IReadOnlyList<int>? TokenCounts);
