namespace LLMDistill.Tokenization;

/// <summary>One row of a <see cref="TokenVocabulary"/>.</summary>
/// <param name="Id">Token id.</param>
/// <param name="Text">The token as the vocabulary file writes it.</param>
/// <param name="Bytes">The UTF-8 bytes the token stands for.</param>
/// <param name="IsSpecial">Special (control) token: skipped by <c>Decode(skipSpecialTokens: true)</c>.</param>
/// <param name="IsFallback">A byte-fallback piece that yields to an ordinary token with the same bytes in reverse lookups.</param>
internal sealed record TokenEntry(int Id, string Text, byte[] Bytes, bool IsSpecial, bool IsFallback = false);
