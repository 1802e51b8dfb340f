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
            var previousEnd = 0;
            foreach (var match in Regex.EnumerateMatches(piece.Span))
            {
                if (match.Length == 0)
                {
                    continue;
                }

                if (match.Index > previousEnd)
                {
                    output.Add(piece[previousEnd..match.Index]);
                }

                if (!removeMatches)
                {
                    output.Add(piece.Slice(match.Index, match.Length));
                }

                previousEnd = match.Index + match.Length;
            }

            if (previousEnd < piece.Length)
            {
                output.Add(piece[previousEnd..]);
            }
        }
    }

    /// <summary>ByteLevel's <c>add_prefix_space</c>: a piece that does not start with a space gets one.</summary>
    internal sealed class PrefixSpace : Step
    {
        /// <inheritdoc/>
        public override void Apply(ReadOnlyMemory<char> piece, List<ReadOnlyMemory<char>> output)
            => output.Add(piece.Span.StartsWith(' ') ? piece : (" " + piece.Span.ToString()).AsMemory());
    }
}
