using System.Text.RegularExpressions;

namespace LLMDistill.Tokenization;

/// <summary>
/// The pre-tokenization a tokenizer.json declares, as an ordered list of steps applied to every piece produced by
/// the previous step (Hugging Face <c>Sequence</c> semantics). Immutable and thread-safe.
/// </summary>
internal sealed class PreTokenizerPipeline
{
    /// <summary>GPT-2's split pattern, used by the <c>ByteLevel</c> pre-tokenizer when <c>use_regex</c> is true.</summary>
    public const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    private readonly IReadOnlyList<Step> _steps;

    public PreTokenizerPipeline(IReadOnlyList<Step> steps) => _steps = steps;

    /// <summary>No splitting at all: each segment is one piece.</summary>
    public static PreTokenizerPipeline None { get; } = new([]);

    /// <summary>The steps, for inspection and tests.</summary>
    public IReadOnlyList<Step> Steps => _steps;

    /// <summary>Splits <paramref name="segment"/> and appends the pieces to <paramref name="pieces"/>.</summary>
    public void Run(ReadOnlyMemory<char> segment, List<ReadOnlyMemory<char>> pieces)
    {
        if (_steps.Count == 0)
        {
            pieces.Add(segment);
            return;
        }

        var current = new List<ReadOnlyMemory<char>> { segment };
        for (var s = 0; s < _steps.Count; s++)
        {
            var output = s == _steps.Count - 1 ? pieces : new List<ReadOnlyMemory<char>>(current.Count * 2);
            foreach (var piece in current)
            {
                _steps[s].Apply(piece, output);
            }

            current = output;
        }
    }

    /// <summary>One pre-tokenization step.</summary>
    internal abstract class Step
    {
        /// <summary>Splits or rewrites one piece, appending the results.</summary>
        public abstract void Apply(ReadOnlyMemory<char> piece, List<ReadOnlyMemory<char>> output);
    }

    /// <summary>Regex split (HF <c>Split</c> with behaviour <c>Isolated</c> or <c>Removed</c>, and <c>ByteLevel</c>'s regex).</summary>
    internal sealed class RegexSplit(Regex regex, bool removeMatches) : Step
    {
        /// <summary>The pattern, for inspection and tests.</summary>
        public Regex Regex { get; } = regex;

        /// <inheritdoc/>
        public override void Apply(ReadOnlyMemory<char> piece, List<ReadOnlyMemory<char>> output)
        {
            // .NET regexes see UTF-16 units, Hugging Face's see code points: a letter outside the BMP (CJK Ext-B,
            // math letters) would not match \p{L}. Matching runs on a same-length copy where such code points are
            // BMP stand-ins of their class; the pieces are cut from the original text.
            var span = piece.Span;
            var matchSpan = span.IndexOfAnyInRange('\uD800', '\uDFFF') < 0 ? span : AstralAsBmp(span);
            var previousEnd = 0;
            foreach (var match in Regex.EnumerateMatches(matchSpan))
            {
                // A cut never separates the two halves of a surrogate pair (their bytes must stay in one piece).
                var start = Math.Max(PairSafe(span, match.Index), previousEnd);
                var end = PairSafe(span, match.Index + match.Length);
                if (end <= start)
                {
                    continue;
                }

                if (start > previousEnd)
                {
                    output.Add(piece[previousEnd..start]);
                }

                if (!removeMatches)
                {
                    output.Add(piece[start..end]);
                }

                previousEnd = end;
            }

            if (previousEnd < piece.Length)
            {
                output.Add(piece[previousEnd..]);
            }
        }

        private static int PairSafe(ReadOnlySpan<char> text, int index)
            => index > 0 && index < text.Length && char.IsHighSurrogate(text[index - 1]) && char.IsLowSurrogate(text[index]) ? index + 1 : index;
    }

    /// <summary>A copy of <paramref name="text"/> in which each supplementary letter becomes two U+4E00 (a letter) and
    /// each supplementary number two '0'; other supplementary code points (emoji, symbols) keep their surrogates,
    /// which already match like non-letters.</summary>
    internal static ReadOnlySpan<char> AstralAsBmp(ReadOnlySpan<char> text)
    {
        var copy = text.ToArray();
        for (var i = 0; i < copy.Length - 1; i++)
        {
            if (!char.IsSurrogatePair(copy[i], copy[i + 1]))
            {
                continue;
            }

            var category = System.Globalization.CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(copy[i], copy[i + 1]));
            var standIn = category switch
            {
                <= System.Globalization.UnicodeCategory.OtherLetter => '\u4E00',
                System.Globalization.UnicodeCategory.DecimalDigitNumber or System.Globalization.UnicodeCategory.LetterNumber
                    or System.Globalization.UnicodeCategory.OtherNumber => '0',
                _ => '\0',
            };
            if (standIn != '\0')
            {
                copy[i] = copy[i + 1] = standIn;
            }

            i++;
        }

        return copy;
    }

    /// <summary>ByteLevel's <c>add_prefix_space</c>: a piece that does not start with a space gets one.</summary>
    internal sealed class PrefixSpace : Step
    {
        /// <inheritdoc/>
        public override void Apply(ReadOnlyMemory<char> piece, List<ReadOnlyMemory<char>> output)
            => output.Add(piece.Span.StartsWith(' ') ? piece : (" " + piece.Span.ToString()).AsMemory());
    }
}
