using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace LLMDistill.Tokenization;

/// <summary>
/// Hugging Face byte-level BPE (GPT-2, Llama 3, Qwen2, SmolLM): added tokens are cut out first, each remaining
/// segment is normalized and pre-tokenized as tokenizer.json declares, and each piece is mapped to the byte-level
/// alphabet and merged by Microsoft.ML.Tokenizers' <see cref="BpeTokenizer"/>. With <c>ignore_merges</c> a piece
/// that is itself a vocabulary entry becomes that token without merging (Llama 3).
/// </summary>
/// <remarks>
/// Unicode normalizers (Qwen2's NFC) run through <see cref="string.Normalize(NormalizationForm)"/>. A process in
/// invariant-globalization mode cannot normalize and then encodes the text as given, which gives the same ids for
/// text that is already NFC (nearly all text) and may differ for decomposed input.
/// </remarks>
internal sealed class ByteLevelBpeEncoder : ITokenEncoder
{
    private const int StackLimit = 256;
    private const int MaxCachedPieceLength = 64;
    private const int MaxCacheEntries = 200_000;

    // Words repeat (Zipf), so merged pieces are memoized; bounded so a long-running server cannot grow it without limit.
    private readonly ConcurrentDictionary<string, int[]> _pieceCache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int[]>.AlternateLookup<ReadOnlySpan<char>> _pieceCacheLookup;
    private int _pieceCacheCount; // ConcurrentDictionary.Count takes every lock, so the size is tracked here

    private readonly BpeTokenizer _bpe;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>>? _wholeWordLookup;
    private readonly AddedTokenMatcher _addedTokens;
    private readonly PreTokenizerPipeline _preTokenizer;
    private readonly NormalizationForm? _normalization;

    public ByteLevelBpeEncoder(
        BpeTokenizer bpe,
        Dictionary<string, int>? ignoreMergesVocabulary,
        AddedTokenMatcher addedTokens,
        PreTokenizerPipeline preTokenizer,
        NormalizationForm? normalization)
    {
        _bpe = bpe;
        _wholeWordLookup = ignoreMergesVocabulary?.GetAlternateLookup<ReadOnlySpan<char>>();
        _addedTokens = addedTokens;
        _preTokenizer = preTokenizer;
        _normalization = normalization;
        _pieceCacheLookup = _pieceCache.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <inheritdoc/>
    public void Encode(string text, List<int> ids)
    {
        var parts = new List<AddedTokenMatcher.TextPart>();
        _addedTokens.Split(text, parts);
        var pieces = new List<ReadOnlyMemory<char>>();
        foreach (var part in parts)
        {
            if (part.Token is not null)
            {
                ids.Add(part.Token.Id);
                continue;
            }

            var segment = part.Text;
            if (_normalization is { } form)
            {
                segment = segment.ToString().Normalize(form).AsMemory();
            }

            pieces.Clear();
            _preTokenizer.Run(segment, pieces);
            foreach (var piece in pieces)
            {
                EncodePiece(piece.Span, ids);
            }
        }
    }

    private void EncodePiece(ReadOnlySpan<char> piece, List<int> ids)
    {
        if (piece.IsEmpty)
        {
            return;
        }

        var maxBytes = Encoding.UTF8.GetMaxByteCount(piece.Length);
        byte[]? rentedBytes = null;
        char[]? rentedChars = null;
        var bytes = maxBytes <= StackLimit ? stackalloc byte[StackLimit] : (rentedBytes = ArrayPool<byte>.Shared.Rent(maxBytes));
        var chars = maxBytes <= StackLimit ? stackalloc char[StackLimit] : (rentedChars = ArrayPool<char>.Shared.Rent(maxBytes));
        try
        {
            var length = ByteLevelMapping.EncodeText(piece, chars, bytes);
            var mapped = chars[..length];
            if (_wholeWordLookup is { } lookup && lookup.TryGetValue(mapped, out var id))
            {
                ids.Add(id);
                return;
            }

            if (_pieceCacheLookup.TryGetValue(mapped, out var cached))
            {
                ids.AddRange(cached);
                return;
            }

            var merged = _bpe.EncodeToIds(mapped, considerPreTokenization: false, considerNormalization: false).ToArray();
            if (mapped.Length <= MaxCachedPieceLength && Volatile.Read(ref _pieceCacheCount) < MaxCacheEntries
                && _pieceCache.TryAdd(mapped.ToString(), merged))
            {
                Interlocked.Increment(ref _pieceCacheCount);
            }

            ids.AddRange(merged);
        }
        finally
        {
            if (rentedBytes is not null)
            {
                ArrayPool<byte>.Shared.Return(rentedBytes);
                ArrayPool<char>.Shared.Return(rentedChars!);
            }
        }
    }
}
