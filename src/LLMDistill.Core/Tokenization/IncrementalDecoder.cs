using System.Text;

namespace LLMDistill.Tokenization;

/// <summary>
/// Turns a stream of token ids into text as it arrives, never splitting a multi-byte UTF-8 character: bytes of an
/// unfinished character are held back until the token that completes it. One instance per stream; not thread-safe.
/// </summary>
/// <remarks>
/// The text is the exact continuation: unlike <see cref="ModelTokenizer.Decode"/>, a SentencePiece stream keeps the
/// space of its first token's leading '▁', because a streamed answer continues a prompt.
/// </remarks>
public sealed class IncrementalDecoder
{
    private readonly TokenVocabulary _vocabulary;
    private readonly bool _skipSpecialTokens;
    private readonly Decoder _utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetDecoder();
    private char[] _chars = new char[64];

    internal IncrementalDecoder(TokenVocabulary vocabulary, bool skipSpecialTokens)
    {
        _vocabulary = vocabulary;
        _skipSpecialTokens = skipSpecialTokens;
    }

    /// <summary>Adds one token and returns the text it completes (possibly empty).</summary>
    /// <param name="id">The next token id.</param>
    /// <returns>The newly complete text.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="id"/> is not in the vocabulary.</exception>
    public string Append(int id)
    {
        var bytes = _vocabulary.Bytes(id);
        return _skipSpecialTokens && _vocabulary.IsSpecial(id) ? string.Empty : Convert(bytes, flush: false);
    }

    /// <summary>Adds several tokens and returns the text they complete.</summary>
    /// <param name="ids">The next token ids, in order.</param>
    /// <returns>The newly complete text.</returns>
    public string Append(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var text = new StringBuilder();
        foreach (var id in ids)
        {
            text.Append(Append(id));
        }

        return text.ToString();
    }

    /// <summary>Ends the stream: bytes of an unfinished character come out as U+FFFD, and the decoder is reset.</summary>
    /// <returns>The remaining text, usually empty.</returns>
    public string Flush() => Convert([], flush: true);

    private string Convert(ReadOnlySpan<byte> bytes, bool flush)
    {
        var needed = _utf8.GetCharCount(bytes, flush);
        if (needed > _chars.Length)
        {
            _chars = new char[Math.Max(needed, _chars.Length * 2)];
        }

        var written = _utf8.GetChars(bytes, _chars, flush);
        return written == 0 ? string.Empty : new string(_chars, 0, written);
    }
}
