using System.Globalization;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace LLMDistill.Tokenization;

/// <summary>
/// A SentencePiece <c>tokenizer.model</c> (Llama 2 style BPE with byte fallback, or Unigram) through
/// Microsoft.ML.Tokenizers' <see cref="SentencePieceTokenizer"/>. BOS/EOS are never added here; ModelTokenizer adds BOS.
/// </summary>
internal sealed class SentencePieceEncoder : ITokenEncoder
{
    private readonly SentencePieceTokenizer _tokenizer;

    private SentencePieceEncoder(SentencePieceTokenizer tokenizer) => _tokenizer = tokenizer;

    /// <inheritdoc/>
    public void Encode(string text, List<int> ids)
    {
        if (text.Length > 0)
        {
            ids.AddRange(_tokenizer.EncodeToIds(text, addBeginningOfSentence: false, addEndOfSentence: false));
        }
    }

    /// <summary>Loads <paramref name="path"/>; <paramref name="extraTokens"/> (tokenizer_config.json added tokens beyond
    /// the model's pieces) are added as specials.</summary>
    /// <exception cref="InvalidDataException">The file is not a SentencePiece model.</exception>
    public static (SentencePieceEncoder Encoder, TokenVocabulary Vocabulary, int? BosId, int? EosId) Load(string path, IReadOnlyList<AddedToken> extraTokens)
    {
        SentencePieceTokenizer tokenizer;
        try
        {
            using var stream = File.OpenRead(path);
            var probe = SentencePieceTokenizer.Create(stream, addBeginningOfSentence: false, addEndOfSentence: false);
            var pieces = probe.Vocabulary;
            var specials = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var id in new[] { probe.BeginningOfSentenceId, probe.EndOfSentenceId, probe.UnknownId })
            {
                var piece = pieces.FirstOrDefault(p => p.Value == id).Key;
                if (piece is not null)
                {
                    specials[piece] = id;
                }
            }

            foreach (var token in extraTokens.Where(t => !pieces.ContainsKey(t.Content)))
            {
                specials[token.Content] = token.Id;
            }

            stream.Position = 0;
            tokenizer = SentencePieceTokenizer.Create(stream, addBeginningOfSentence: false, addEndOfSentence: false, specialTokens: specials);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException or IOException
            or IndexOutOfRangeException or OverflowException)
        {
            throw new InvalidDataException($"{path}: not a valid SentencePiece model: {ex.Message}", ex);
        }

        return (new SentencePieceEncoder(tokenizer), BuildVocabulary(tokenizer, extraTokens), tokenizer.BeginningOfSentenceId, tokenizer.EndOfSentenceId);
    }

    private static TokenVocabulary BuildVocabulary(SentencePieceTokenizer tokenizer, IReadOnlyList<AddedToken> extraTokens)
    {
        var control = new HashSet<int> { tokenizer.BeginningOfSentenceId, tokenizer.EndOfSentenceId, tokenizer.UnknownId };
        var entries = new Dictionary<int, TokenEntry>();
        foreach (var (piece, id) in tokenizer.Vocabulary)
        {
            entries[id] = control.Contains(id) ? new TokenEntry(id, piece, Encoding.UTF8.GetBytes(piece), IsSpecial: true)
                : tokenizer.ByteFallback && TryParseBytePiece(piece, out var b) ? new TokenEntry(id, piece, [b], IsSpecial: false, IsFallback: true)
                : new TokenEntry(id, piece, Encoding.UTF8.GetBytes(piece.Replace('\u2581', ' ')), IsSpecial: false);
        }

        foreach (var token in extraTokens.Where(t => !entries.ContainsKey(t.Id)))
        {
            entries[token.Id] = new TokenEntry(token.Id, token.Content, Encoding.UTF8.GetBytes(token.Content), token.IsSpecial);
        }

        return new TokenVocabulary(entries.Values);
    }

    // Byte-fallback pieces are written <0xNN>.
    private static bool TryParseBytePiece(string piece, out byte value)
    {
        value = 0;
        return piece.Length == 6 && piece.StartsWith("<0x", StringComparison.Ordinal) && piece[5] == '>'
            && byte.TryParse(piece.AsSpan(3, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out value);
    }
}
