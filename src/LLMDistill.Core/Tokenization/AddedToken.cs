namespace LLMDistill.Tokenization;

/// <summary>A token matched verbatim in text before the model splits it (tokenizer.json <c>added_tokens</c>).</summary>
/// <param name="Id">Token id.</param>
/// <param name="Content">The literal text.</param>
/// <param name="IsSpecial">Skipped by decoding with <c>skipSpecialTokens</c>.</param>
/// <param name="LStrip">Whitespace right before the token is absorbed into it.</param>
/// <param name="RStrip">Whitespace right after the token is absorbed into it.</param>
internal sealed record AddedToken(int Id, string Content, bool IsSpecial, bool LStrip = false, bool RStrip = false);
