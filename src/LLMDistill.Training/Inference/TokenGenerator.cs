using System.Runtime.CompilerServices;
using System.Threading.Channels;
using LLMDistill.Model;
using static TorchSharp.torch;

namespace LLMDistill.Inference;

/// <summary>
/// Batched generation with a <see cref="LlamaForCausalLM"/>: many prompts per forward pass (left padding, mask,
/// per-row positions, one KV cache), per-row sampling parameters and seeds, optional log-probabilities, streaming
/// and cancellation. Greedy output of a prompt is the same alone or in a batch. Rows join the running batch as others
/// finish (continuous batching, see <see cref="DecodeBatch"/>). Calls are serialised: one batch at a time uses the
/// model; concurrent callers that should share forward passes go through <see cref="GenerationScheduler"/>.
/// </summary>
public sealed class TokenGenerator
{
    private readonly IReadOnlyList<int> _defaultStopIds;
    private readonly Lock _gate = new();

    /// <summary>Creates a generator for a model (already on its device, in its dtype).</summary>
    /// <param name="model">The model.</param>
    /// <param name="defaultStopTokenIds">Stop ids for requests that leave theirs null (usually the EOS ids of the generation config).</param>
    /// <param name="maxBatchSize">Most prompts decoded together; larger lists are split, grouping prompts of similar length.</param>
    public TokenGenerator(LlamaForCausalLM model, IReadOnlyList<int>? defaultStopTokenIds = null, int maxBatchSize = 64)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBatchSize);
        Model = model;
        _defaultStopIds = defaultStopTokenIds ?? model.Config.EosTokenIds;
        MaxBatchSize = maxBatchSize;
    }

    /// <summary>The model.</summary>
    public LlamaForCausalLM Model { get; }

    /// <summary>Most prompts decoded together.</summary>
    public int MaxBatchSize { get; }

    /// <summary>Generates continuations for every request, on the calling thread.</summary>
    /// <param name="requests">The prompts and their sampling parameters.</param>
    /// <param name="onStep">Called on the generating thread with every new token, as it is produced.</param>
    /// <param name="cancellationToken">Checked before every step.</param>
    /// <returns>One result per request, in request order.</returns>
    /// <exception cref="ArgumentException">An empty prompt, an id outside the vocabulary or an invalid parameter; the message names the request.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public IReadOnlyList<GenerationResult> Generate(IReadOnlyList<GenerationRequest> requests, Action<GenerationStep>? onStep = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        GenerationValidation.Validate(requests, Model.Config.VocabSize);
        var results = new GenerationResult[requests.Count];
        // Longest prompts first, so rows admitted together have similar lengths and little padding. Rows join the
        // running batch as soon as others finish (continuous batching), not when the whole batch is done.
        var pending = new Queue<int>(Enumerable.Range(0, requests.Count).OrderByDescending(i => requests[i].PromptIds.Count));
        Func<GenerationStep, bool>? observer = onStep is null ? null : step =>
        {
            onStep(step);
            return false;
        };
        lock (_gate)
        {
            using var inference = inference_mode();
            using var batch = new DecodeBatch(Model);
            while (pending.Count > 0 || batch.LiveCount > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var free = MaxBatchSize - batch.LiveCount;
                if (free > 0 && pending.Count > 0)
                {
                    var admitted = new List<DecodeRow>(Math.Min(free, pending.Count));
                    while (admitted.Count < free && pending.TryDequeue(out var index))
                    {
                        admitted.Add(new DecodeRow(index, requests[index], _defaultStopIds, observer, CancellationToken.None));
                    }

                    batch.Admit(admitted);
                }

                foreach (var row in batch.Step())
                {
                    if (row.Failure is { } failure)
                    {
                        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure); // the caller's onStep threw
                    }

                    results[row.Index] = row.ToResult();
                }
            }
        }

        return results;
    }

    /// <summary>Runs <see cref="Generate"/> on a dedicated thread (TorchSharp scopes are per thread, so a step never hops threads).</summary>
    /// <param name="requests">The prompts and their sampling parameters.</param>
    /// <param name="onStep">Called on the generating thread with every new token.</param>
    /// <param name="cancellationToken">Cancels between steps.</param>
    /// <returns>One result per request, in request order.</returns>
    public Task<IReadOnlyList<GenerationResult>> GenerateAsync(IReadOnlyList<GenerationRequest> requests, Action<GenerationStep>? onStep = null, CancellationToken cancellationToken = default) =>
        Task.Factory.StartNew(() => Generate(requests, onStep, cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Streams every new token of every request as it is produced; stopping the enumeration cancels generation.</summary>
    /// <param name="requests">The prompts and their sampling parameters.</param>
    /// <param name="cancellationToken">Cancels generation.</param>
    /// <returns>The steps, in production order.</returns>
    public async IAsyncEnumerable<GenerationStep> StreamAsync(IReadOnlyList<GenerationRequest> requests, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        GenerationValidation.Validate(requests, Model.Config.VocabSize);
        // Unbounded on purpose: the producer is bounded by the request (rows x max tokens), and blocking the decoding
        // thread on a slow reader would stall every row of the batch.
        var channel = Channel.CreateUnbounded<GenerationStep>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Factory.StartNew(
            () =>
            {
                try
                {
                    Generate(requests, step => channel.Writer.TryWrite(step), stop.Token);
                    channel.Writer.TryComplete();
                }
#pragma warning disable CA1031 // the failure is handed to the reader through the channel
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    channel.Writer.TryComplete(ex);
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        try
        {
            await foreach (var step in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return step;
            }
        }
        finally
        {
            await stop.CancelAsync();
            await producer;
        }
    }
}
