using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;

namespace LLMDistill.Teachers;

/// <summary>Streaming and scoring of <see cref="LocalModel"/>.</summary>
public sealed partial class LocalModel
{
    /// <summary>Most choices per request (OpenAI's limit for <c>n</c>).</summary>
    public const int MaxChoices = 128;

    /// <summary>Streams the request's choices piece by piece as tokens are generated; stopping the enumeration cancels generation.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels generation.</param>
    /// <returns>Pieces of all choices, interleaved in production order; each choice's last piece has its finish reason.</returns>
    /// <exception cref="ArgumentException">An invalid parameter (thrown when enumeration starts).</exception>
    /// <exception cref="ContextLengthExceededException">The request does not fit the context.</exception>
    public async IAsyncEnumerable<LocalCompletionDelta> StreamAsync(LocalCompletionRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (rows, assemblers) = Prepare(request);
        // Unbounded on purpose: the producer is bounded by the request (n x max tokens), and blocking the decoding
        // thread on a slow reader would stall every other request in the batch.
        var channel = Channel.CreateUnbounded<LocalCompletionDelta>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var generation = RunAsync();
        try
        {
            await foreach (var delta in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return delta;
            }
        }
        finally
        {
            if (!generation.IsCompleted)
            {
                await stop.CancelAsync(); // the reader went away: free the rows
            }

            try
            {
                await generation;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // expected after the reader stopped early
            }
        }

        async Task RunAsync()
        {
            try
            {
                await Scheduler.GenerateAsync(rows, step => Observe(assemblers[step.RequestIndex], step, d => channel.Writer.TryWrite(d)), stop.Token);
                channel.Writer.TryComplete();
            }
            catch (Exception ex)
            {
                channel.Writer.TryComplete(ex);
                throw;
            }
        }
    }

    /// <summary>Teacher-forced log-probabilities of <paramref name="text"/> encoded as a prompt (with BOS when the tokenizer adds one), batched with other callers' scoring.</summary>
    /// <param name="text">The text to score.</param>
    /// <param name="topLogprobs">Alternatives per position.</param>
    /// <param name="cancellationToken">Cancels before the pass starts.</param>
    /// <returns>Per token logprobs with offsets into <paramref name="text"/>.</returns>
    /// <exception cref="ArgumentException">The text encodes to no tokens, or a negative <paramref name="topLogprobs"/>.</exception>
    /// <exception cref="ContextLengthExceededException">The text is longer than the context.</exception>
    public Task<LocalScore> ScoreTextAsync(string text, int topLogprobs, CancellationToken cancellationToken)
    {
        var ids = EncodePrompt(text);
        var silent = Tokenizer.AddBosToken && Tokenizer.BosTokenId is { } bos && ids.Count > 0 && ids[0] == bos ? 1 : 0;
        return ScoreCoreAsync(ids, silent, topLogprobs, cancellationToken);
    }

    /// <summary>Teacher-forced log-probabilities of <paramref name="ids"/> (every token's text counts, special tokens written out).</summary>
    /// <param name="ids">The sequence.</param>
    /// <param name="topLogprobs">Alternatives per position.</param>
    /// <param name="cancellationToken">Cancels before the pass starts.</param>
    /// <returns>Per token logprobs with offsets into the decoded text.</returns>
    /// <exception cref="ArgumentException">An empty sequence, an id outside the vocabulary or a negative <paramref name="topLogprobs"/>.</exception>
    /// <exception cref="ContextLengthExceededException">The sequence is longer than the context.</exception>
    public Task<LocalScore> ScoreAsync(IReadOnlyList<int> ids, int topLogprobs, CancellationToken cancellationToken) => ScoreCoreAsync(ids, 0, topLogprobs, cancellationToken);

    private async Task<LocalScore> ScoreCoreAsync(IReadOnlyList<int> ids, int silentPrefix, int topLogprobs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            throw new ArgumentException("the text to score is empty (it has no tokens)");
        }

        if (ids.Count > ContextLength)
        {
            throw new ContextLengthExceededException($"this model's context is {ContextLength} tokens, but the text to score has {ids.Count}");
        }

        if (topLogprobs < 0 || topLogprobs > Tokenizer.VocabSize)
        {
            throw new ArgumentException($"top_logprobs must be between 0 and {Tokenizer.VocabSize} (got {topLogprobs})");
        }

        var scored = await Scheduler.ScoreAsync(ids, topLogprobs, cancellationToken);
        var decoder = Tokenizer.CreateIncrementalDecoder(skipSpecialTokens: false);
        var text = new StringBuilder();
        var offsets = new int[ids.Count];
        var codePoints = 0;
        for (var i = 0; i < ids.Count; i++)
        {
            offsets[i] = codePoints;
            if (i >= silentPrefix)
            {
                var piece = decoder.Append(ids[i]);
                text.Append(piece);
                codePoints += CountCodePoints(piece);
            }
        }

        text.Append(decoder.Flush());
        return new LocalScore(scored.Select(_describer.Describe).ToArray(), offsets, text.ToString());
    }

    private static int CountCodePoints(string text)
    {
        var count = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            count++;
        }

        return count;
    }
}
