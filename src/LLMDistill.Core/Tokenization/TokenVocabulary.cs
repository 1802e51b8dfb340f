using System.Text;

namespace LLMDistill.Tokenization;

/// <summary>
/// The id-indexed view of a vocabulary every tokenizer kind is reduced to: each token's text (as the vocabulary
/// file writes it), its raw bytes, and whether it is a special token. Decoding, <c>TokenBytes</c> and
/// <c>TokenIdOf</c> work on this table alone, so they behave the same for byte-level BPE, SentencePiece and tiktoken.
/// Immutable after construction, hence safe to share between threads.
/// </summary>
internal sealed class TokenVocabulary
{
    private readonly string?[] _texts;
    private readonly byte[]?[] _bytes;
    private readonly bool[] _special;
    private readonly Dictionary<string, int> _idByBytes;
    private readonly Dictionary<string, int> _idByText;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _idByBytesLookup;

    /// <param name="entries">Every token: id, text, bytes, special flag, and whether it is a fallback form
    /// (e.g. a SentencePiece <c>&lt;0x41&gt;</c> piece) that yields to an ordinary token with the same bytes.</param>
    public TokenVocabulary(IEnumerable<TokenEntry> entries)
    {
        var list = entries.ToList();
        var size = list.Count == 0 ? 0 : list.Max(e => e.Id) + 1;
        _texts = new string?[size];
        _bytes = new byte[]?[size];
        _special = new bool[size];
        _idByBytes = new Dictionary<string, int>(list.Count, StringComparer.Ordinal);
        _idByText = new Dictionary<string, int>(list.Count, StringComparer.Ordinal);

        // Preference when several tokens share bytes: ordinary tokens, then fallback pieces, then specials; lowest id first.
        foreach (var entry in list.OrderBy(e => e.IsSpecial ? 2 : e.IsFallback ? 1 : 0).ThenBy(e => e.Id))
        {
            if (_texts[entry.Id] is not null)
            {
                throw new InvalidDataException($"token id {entry.Id} is defined twice ('{_texts[entry.Id]}' and '{entry.Text}')");
            }

            _texts[entry.Id] = entry.Text;
            _bytes[entry.Id] = entry.Bytes;
            _special[entry.Id] = entry.IsSpecial;
            _idByText.TryAdd(entry.Text, entry.Id);
            if (entry.Bytes.Length > 0)
            {
                _idByBytes.TryAdd(Latin1Key(entry.Bytes), entry.Id);
            }
        }

        _idByBytesLookup = _idByBytes.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>One past the largest id.</summary>
    public int Size => _texts.Length;

    /// <summary>Whether <paramref name="id"/> names a token.</summary>
    public bool Contains(int id) => (uint)id < (uint)_texts.Length && _texts[id] is not null;

    /// <summary>Whether <paramref name="id"/> is a special token.</summary>
    public bool IsSpecial(int id) => Contains(id) && _special[id];

    /// <summary>The token as the vocabulary writes it.</summary>
    public string Text(int id) => _texts[Check(id)]!;

    /// <summary>The token's raw bytes (shared; callers must not modify it).</summary>
    public byte[] Bytes(int id) => _bytes[Check(id)]!;

    /// <summary>The id of the token whose bytes are exactly <paramref name="bytes"/>, if any.</summary>
    public int? IdOf(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return null;
        }

        Span<char> key = bytes.Length <= 256 ? stackalloc char[bytes.Length] : new char[bytes.Length];
        Latin1.GetChars(bytes, key);
        return _idByBytesLookup.TryGetValue(key, out var id) ? id : null;
    }

    /// <summary>The id of the token written <paramref name="text"/> in the vocabulary, if any.</summary>
    public int? IdOfText(string text) => _idByText.TryGetValue(text, out var id) ? id : null;

    /// <summary>Appends the bytes of <paramref name="ids"/> to <paramref name="buffer"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is not in the vocabulary.</exception>
    public void AppendBytes(IEnumerable<int> ids, bool skipSpecialTokens, List<byte> buffer)
    {
        foreach (var id in ids)
        {
            Check(id);
            if (!(skipSpecialTokens && _special[id]))
            {
                buffer.AddRange(_bytes[id]!);
            }
        }
    }

    private static readonly Encoding Latin1 = Encoding.Latin1;

    // Latin-1 maps each byte to one char, so a string key compares exactly like the byte sequence.
    private static string Latin1Key(byte[] bytes) => Latin1.GetString(bytes);

    private int Check(int id)
    {
        if (!Contains(id))
        {
            throw new ArgumentOutOfRangeException(nameof(id), id, $"token id {id} is not in the vocabulary (size {Size})");
        }

        return id;
    }
}
