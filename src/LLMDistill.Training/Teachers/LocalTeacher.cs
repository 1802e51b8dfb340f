using System.Runtime.CompilerServices;
using LLMDistill.Inference;
using LLMDistill.Teachers.Decorators;

namespace LLMDistill.Teachers;

/// <summary>
/// The <c>local</c> teacher: an in-process TorchSharp model (<see cref="LocalModel"/>) behind the teacher interfaces.
/// Chat requests use the model's chat template (the documented Plain template when it has none), completion requests
/// the raw prompt; both in one teacher. Logprobs come straight from the logits with token ids
/// (<see cref="TokenLogprob.TokenId"/>), so <see cref="TeacherCapabilities.FullLogits"/> is true. Concurrent calls share
/// batched forward passes. Errors are <see cref="TeacherException"/>s: bad requests are not retried, an overloaded
/// queue is transient.
/// </summary>
public sealed class LocalTeacher : IStreamingTeacherClient, IScoringTeacherClient, IScoreWithUsage, ITeacherCacheIdentity, IDisposable
{
    private readonly bool _ownsModel;

    /// <summary>Creates the teacher over a loaded model.</summary>
    /// <param name="name">The teacher's configured name.</param>
    /// <param name="model">The model.</param>
    /// <param name="maxTopLogprobs">Largest <see cref="TeacherRequest.TopLogprobs"/> accepted.</param>
    /// <param name="ownsModel">Whether disposing the teacher disposes the model.</param>
    public LocalTeacher(string name, LocalModel model, int maxTopLogprobs = 20, bool ownsModel = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfNegative(maxTopLogprobs);
        Name = name;
        Model = model;
        _ownsModel = ownsModel;
        Capabilities = new TeacherCapabilities(Chat: true, Completion: true, MaxTopLogprobs: maxTopLogprobs, FullLogits: true, StructuredOutput: false);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The model.</summary>
    public LocalModel Model { get; }

    /// <inheritdoc />
    public TeacherCapabilities Capabilities { get; }

    /// <inheritdoc />
    public string CacheIdentity => Model.Fingerprint;

    /// <inheritdoc />
    public async Task<TeacherResponse> CompleteAsync(TeacherRequest request, CancellationToken cancellationToken)
    {
        var local = ToLocal(request);
        var completion = await Guard(() => Model.CompleteAsync(local, cancellationToken));
        var choices = completion.Choices.Select(c => new TeacherChoice(c.Text, c.FinishReason, c.Logprobs)).ToArray();
        return new TeacherResponse(Name, Model.Name, choices, new TokenUsage(completion.PromptTokens, completion.CompletionTokens));
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<TeacherStreamDelta> StreamAsync(TeacherRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var local = ToLocal(request);
        if (local.N != 1)
        {
            throw BadRequest($"streaming serves single-choice requests (N = 1), got N = {local.N}");
        }

        await using var deltas = Model.StreamAsync(local, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            // yield cannot sit inside a try with a catch, so each step is awaited here and yielded below.
            if (!await Guard(async () => await deltas.MoveNextAsync()))
            {
                yield break;
            }

            var delta = deltas.Current;
            var usage = delta.CompletionTokens is { } completion ? new TokenUsage(local.PromptIds.Count, completion) : (TokenUsage?)null;
            if (delta.Logprobs.Count == 0)
            {
                yield return new TeacherStreamDelta(delta.Text, null, delta.FinishReason, usage);
                continue;
            }

            // One delta per token: the piece's text rides with the first, so concatenated text is exactly the answer.
            for (var i = 0; i < delta.Logprobs.Count; i++)
            {
                var last = i == delta.Logprobs.Count - 1;
                yield return new TeacherStreamDelta(i == 0 ? delta.Text : "", delta.Logprobs[i], last ? delta.FinishReason : null, last ? usage : null);
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>The continuation's tokens are those overlapping it in the tokenization of context + continuation, as <c>echo</c> scoring of an API locates them.</remarks>
    public async Task<IReadOnlyList<TokenLogprob>> ScoreAsync(string context, string continuation, int topLogprobs, CancellationToken cancellationToken)
        => (await ((IScoreWithUsage)this).ScoreWithUsageAsync(context, continuation, topLogprobs, cancellationToken)).Tokens;

    /// <inheritdoc />
    async Task<TeacherScore> IScoreWithUsage.ScoreWithUsageAsync(string context, string continuation, int topLogprobs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        CheckTopLogprobs(topLogprobs);
        var score = await Guard(() => Model.ScoreTextAsync(context + continuation, topLogprobs, cancellationToken));
        var contextEnd = CodePoints(context);
        var fullEnd = contextEnd + CodePoints(continuation);
        var textEnd = CodePoints(score.Text);
        var kept = new List<TokenLogprob>();
        for (var i = 0; i < score.Tokens.Count; i++)
        {
            var start = score.TextOffsets[i];
            var end = i + 1 < score.Tokens.Count ? score.TextOffsets[i + 1] : textEnd;
            // A token straddling the boundary belongs to the continuation; a zero-width piece (part of a character) goes
            // with the side it starts on. The first token has no logprob (nothing precedes it) and is dropped.
            if (start < fullEnd && (end > contextEnd || start >= contextEnd) && !double.IsNaN(score.Tokens[i].Logprob))
            {
                kept.Add(score.Tokens[i]);
            }
        }

        return new TeacherScore(kept, Model.Name, new TokenUsage(score.Tokens.Count, 0));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsModel)
        {
            Model.Dispose();
        }
    }

    private LocalCompletionRequest ToLocal(TeacherRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if ((request.Messages is null) == (request.Prompt is null))
        {
            throw BadRequest("a request needs exactly one of Messages (chat) and Prompt (completion)");
        }

        if (request.N < 1 || request.N > LocalModel.MaxChoices)
        {
            throw BadRequest($"N must be between 1 and {LocalModel.MaxChoices}, got {request.N}");
        }

        CheckTopLogprobs(request.TopLogprobs);
        var sampling = request.Sampling ?? throw BadRequest("Sampling is null");
        IReadOnlyList<int> prompt;
        try
        {
            prompt = request.Messages is { } messages ? Model.EncodeChat(messages) : Model.EncodePrompt(request.Prompt!);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            throw BadRequest(ErrorText.Of(ex), ex);
        }

        return new LocalCompletionRequest(
            prompt, sampling.MaxTokens, sampling.Temperature, sampling.TopP, Seed: sampling.Seed, Stop: sampling.Stop,
            N: request.N, Logprobs: request.TopLogprobs > 0, TopLogprobs: request.TopLogprobs);
    }

    private void CheckTopLogprobs(int topLogprobs)
    {
        if (topLogprobs < 0 || topLogprobs > Capabilities.MaxTopLogprobs)
        {
            throw BadRequest($"TopLogprobs must be between 0 and {Capabilities.MaxTopLogprobs} (Teachers:{Name}:MaxTopLogprobs), got {topLogprobs}");
        }
    }

    /// <summary>Runs a model call, turning its failures into categorised teacher errors (cancellation passes through).</summary>
    private async Task<T> Guard<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            throw BadRequest(ErrorText.Of(ex), ex);
        }
        catch (SchedulerOverloadedException ex)
        {
            throw new TeacherException(Name, TeacherErrorCategory.Unavailable, ex.Message, null, ex);
        }
        catch (ObjectDisposedException ex)
        {
            throw new TeacherException(Name, TeacherErrorCategory.Unavailable, "the local model has been shut down", null, ex);
        }
    }

    private TeacherException BadRequest(string message, Exception? inner = null) => new(Name, TeacherErrorCategory.BadRequest, message, null, inner);

    private static int CodePoints(string text)
    {
        var count = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            count++;
        }

        return count;
    }
}
