namespace LLMDistill.Generation.Pipeline;

/// <summary>
/// One line of <c>expansions.jsonl</c>: the parsed result of one expansion request, so a resumed run replays it
/// instead of asking the teacher again.
/// </summary>
internal sealed record ExpansionRecord(
    string Key,
    string Origin,
    string TemplateHash,
    string SeedId,
    string? Category,
    string Teacher,
    string? Model,
    string? FinishReason,
    IReadOnlyList<ExpansionItem> Items,
    string? Error);

/// <summary>A task parsed from an expansion reply.</summary>
internal sealed record ExpansionItem(string Text, string? Input);
