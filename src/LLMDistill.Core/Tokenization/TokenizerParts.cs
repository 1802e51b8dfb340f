namespace LLMDistill.Tokenization;

/// <summary>Everything a loader produces for a <see cref="ModelTokenizer"/> except the chat template.</summary>
/// <param name="Source">Where it came from, for messages and logs.</param>
/// <param name="Encoder">Text to ids.</param>
/// <param name="Vocabulary">Ids to text and bytes.</param>
/// <param name="StripLeadingSpaceOnDecode">SentencePiece: drop the space of the first '▁' when decoding.</param>
/// <param name="BosTokenId">BOS id.</param>
/// <param name="EosTokenId">EOS id.</param>
/// <param name="PadTokenId">Padding id.</param>
/// <param name="AddBosToken">Whether the model's tokenizer adds BOS by default.</param>
/// <param name="EosIds">EOS ids from generation_config.json / config.json.</param>
/// <param name="Metadata">The directory's tokenizer metadata.</param>
internal sealed record TokenizerParts(
    string Source,
    ITokenEncoder Encoder,
    TokenVocabulary Vocabulary,
    bool StripLeadingSpaceOnDecode,
    int? BosTokenId,
    int? EosTokenId,
    int? PadTokenId,
    bool AddBosToken,
    IReadOnlyList<int> EosIds,
    TokenizerMetadata Metadata)
{
    /// <summary>The EOS token's text, if there is one.</summary>
    public string? EosTokenText => EosTokenId is { } id ? Vocabulary.Text(id) : null;

    /// <summary>The BOS token's text, if there is one.</summary>
    public string? BosTokenText => BosTokenId is { } id ? Vocabulary.Text(id) : null;
}
