namespace LLMDistill.Cli.Serving;

/// <summary>What a served request cost, for the request log.</summary>
internal sealed record RequestSummary(int PromptTokens, int CompletionTokens, bool Streamed = false);
