using System.Text;
using LLMDistill.Inference;
using LLMDistill.Tokenization;

namespace LLMDistill.Teachers;

/// <summary>
/// Builds one choice's text from its tokens as they are generated, on the decoding thread: incremental UTF-8 decoding
/// (special tokens and stop tokens leave no text), stop strings (the text ends before the first match, as OpenAI does,
/// and the row is ended), text offsets in code points, and, for streaming, release of text in pieces that never
/// include the start of a stop string that might still complete. Stop tokens keep their logprob entry.
/// </summary>
internal sealed class ChoiceAssembler
{
    private readonly IncrementalDecoder _decoder;
    private readonly TokenDescriber _describer;
    private readonly IReadOnlyList<string> _stops;
    private readonly int _longestStop;
    private readonly IReadOnlySet<int> _stopIds;
    private readonly bool _logprobs;
    private readonly StringBuilder _text = new();
    private readonly List<int> _ids = [];
    private readonly List<Entry> _tokens = [];
    private int _codePoints;
    private int _releasedChars;
    private int _releasedTokens;
    private int? _cut; // char index where a matched stop string begins

    public ChoiceAssembler(ModelTokenizer tokenizer, TokenDescriber describer, IReadOnlyList<string> stops, IReadOnlySet<int> stopIds, bool logprobs)
    {
        _decoder = tokenizer.CreateIncrementalDecoder(skipSpecialTokens: true);
        _describer = describer;
        _stops = stops;
        _longestStop = stops.Count == 0 ? 0 : stops.Max(s => s.Length);
        _stopIds = stopIds;
        _logprobs = logprobs;
    }

    /// <summary>Whether <see cref="Complete"/> was called: all text can be released.</summary>
    public bool IsComplete { get; private set; }

    /// <summary>Generated tokens so far (including a stop token, and tokens past a stop string).</summary>
    public int TokenCount => _ids.Count;

    /// <summary>The generated ids.</summary>
    public IReadOnlyList<int> Ids => _ids;

    /// <summary>Adds a token; returns true when the text now contains a stop string (the row should end).</summary>
    public bool Add(GeneratedToken token)
    {
        var start = _text.Length;
        _ids.Add(token.Id);
        _tokens.Add(new Entry(_logprobs ? _describer.Describe(token) : null, start, _codePoints));
        if (_cut is not null || _stopIds.Contains(token.Id))
        {
            return _cut is not null; // a stop token ends the row with no text
        }

        Append(_decoder.Append(token.Id));
        if (_stops.Count == 0)
        {
            return false;
        }

        var from = Math.Max(0, start - _longestStop + 1);
        var window = _text.ToString(from, _text.Length - from);
        foreach (var stop in _stops)
        {
            var at = window.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (_cut is null || from + at < _cut))
            {
                _cut = from + at;
            }
        }

        return _cut is not null;
    }

    /// <summary>Ends the choice: the decoder's held bytes are flushed and every kept token can be released.</summary>
    public void Complete()
    {
        if (_cut is null)
        {
            Append(_decoder.Flush());
        }

        IsComplete = true;
    }

    /// <summary>The final text (before the first stop string).</summary>
    public string Text => _text.ToString(0, _cut ?? _text.Length);

    /// <summary>Logprobs of the kept tokens (those starting before a stop string), or null when not asked for.</summary>
    public IReadOnlyList<TokenLogprob>? Logprobs => _logprobs ? Kept().Select(t => t.Logprob!).ToArray() : null;

    /// <summary>Code-point offsets of the kept tokens in <see cref="Text"/>.</summary>
    public IReadOnlyList<int> TextOffsets => Kept().Select(t => t.CodePointStart).ToArray();

    /// <summary>Text and tokens not handed out yet that can be now (streaming); empty while a stop string might still complete.</summary>
    public (string Text, IReadOnlyList<TokenLogprob> Logprobs, IReadOnlyList<int> TextOffsets) Release()
    {
        var limit = _cut ?? (IsComplete ? _text.Length : _text.Length - Holdback());
        var text = limit > _releasedChars ? _text.ToString(_releasedChars, limit - _releasedChars) : "";
        _releasedChars = Math.Max(_releasedChars, limit);
        var kept = KeptCount();
        var released = new List<Entry>();
        while (_releasedTokens < kept && (IsComplete || _tokens[_releasedTokens].CharStart < limit))
        {
            released.Add(_tokens[_releasedTokens++]);
        }

        return (text,
            _logprobs ? released.Select(t => t.Logprob!).ToArray() : [],
            released.Select(t => t.CodePointStart).ToArray());
    }

    private IEnumerable<Entry> Kept() => _tokens.Take(KeptCount());

    // Token starts never decrease, so the kept tokens are a prefix.
    private int KeptCount()
    {
        if (_cut is not { } cut)
        {
            return _tokens.Count;
        }

        var count = 0;
        while (count < _tokens.Count && _tokens[count].CharStart < cut)
        {
            count++;
        }

        return count;
    }

    /// <summary>Characters at the end of the text that begin some stop string and must wait for the next token.</summary>
    private int Holdback()
    {
        var hold = 0;
        foreach (var stop in _stops)
        {
            for (var k = Math.Min(stop.Length - 1, _text.Length); k > hold; k--)
            {
                if (EndsWith(stop.AsSpan(0, k)))
                {
                    hold = k;
                    break;
                }
            }
        }

        return hold;
    }

    private bool EndsWith(ReadOnlySpan<char> prefix)
    {
        var offset = _text.Length - prefix.Length;
        for (var i = 0; i < prefix.Length; i++)
        {
            if (_text[offset + i] != prefix[i])
            {
                return false;
            }
        }

        return true;
    }

    private void Append(string piece)
    {
        _text.Append(piece);
        foreach (var _ in piece.EnumerateRunes())
        {
            _codePoints++;
        }
    }

    private sealed record Entry(TokenLogprob? Logprob, int CharStart, int CodePointStart);
}
