namespace LLMDistill.Cli.Serving;

/// <summary>One completion prompt: text (encoded by the server) or token ids (used as given). Exactly one is set.</summary>
internal sealed record PromptInput(string? Text, IReadOnlyList<int>? Ids);
