using System.Collections.Concurrent;
using LLMDistill.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static TorchSharp.torch;

namespace LLMDistill.Inference;

/// <summary>
/// Shares a model between concurrent callers: one decoding thread owns the model, and every request submitted from
/// any thread is decoded in the same batched forward passes as the others. In <see cref="BatchingMode.Continuous"/>
/// mode (the default) new sequences join the running batch between decoding steps and finished ones leave at once;
/// in <see cref="BatchingMode.Dynamic"/> mode requests arriving within a window start together and the next group
/// waits for the batch to finish. Teacher-forced scoring requests are batched into their own passes between steps.
/// </summary>
public sealed partial class GenerationScheduler : IDisposable
{
    private readonly LlamaForCausalLM _model;
    private readonly IReadOnlyList<int> _defaultStopIds;
    private readonly SchedulerOptions _options;
    private readonly ILogger _logger;
    private readonly BlockingCollection<object> _inbox = new(new ConcurrentQueue<object>());
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private long _forwardPasses, _prefills, _decodeSteps, _scoringPasses, _requests, _generatedTokens;
    private int _queuedRows, _maxLiveRows, _disposed;

    /// <summary>Starts the decoding thread.</summary>
    /// <param name="model">The model (on its device, in eval mode); the scheduler is its only user from now on.</param>
    /// <param name="defaultStopTokenIds">Stop ids for requests that leave theirs null (usually the EOS ids); null = the config's EOS ids.</param>
    /// <param name="options">Batch size, mode and limits.</param>
    /// <param name="logger">Logs failed passes; null for none.</param>
    /// <exception cref="ArgumentException">Invalid options.</exception>
    public GenerationScheduler(LlamaForCausalLM model, IReadOnlyList<int>? defaultStopTokenIds, SchedulerOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _model = model;
        _defaultStopIds = defaultStopTokenIds ?? model.Config.EosTokenIds;
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _thread = new Thread(Run) { IsBackground = true, Name = "llmdistill-decode" };
        _thread.Start();
    }

    /// <summary>The settings.</summary>
    public SchedulerOptions Options => _options;

    /// <summary>The model.</summary>
    public LlamaForCausalLM Model => _model;

    /// <summary>Counters so far (a snapshot).</summary>
    public SchedulerStatistics Statistics => new(
        Interlocked.Read(ref _forwardPasses), Interlocked.Read(ref _prefills), Interlocked.Read(ref _decodeSteps), Interlocked.Read(ref _scoringPasses),
        Interlocked.Read(ref _requests), Interlocked.Read(ref _generatedTokens), Volatile.Read(ref _maxLiveRows));

    /// <summary>Generates continuations of <paramref name="requests"/> (e.g. the n choices of one API request) alongside every other caller's.</summary>
    /// <param name="requests">The sequences to decode; each gets its own row.</param>
    /// <param name="onStep">Called on the decoding thread with each new token (keep it quick); returning true ends that row (finish reason stop).</param>
    /// <param name="cancellationToken">Removes the rows from the batch at the next step.</param>
    /// <returns>One result per request, in order.</returns>
    /// <exception cref="ArgumentException">An invalid request; the message names it.</exception>
    /// <exception cref="SchedulerOverloadedException">Too many sequences are waiting.</exception>
    /// <exception cref="ObjectDisposedException">The scheduler was disposed.</exception>
    public Task<IReadOnlyList<GenerationResult>> GenerateAsync(IReadOnlyList<GenerationRequest> requests, Func<GenerationStep, bool>? onStep, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        GenerationValidation.Validate(requests, _model.Config.VocabSize);
        if (requests.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<GenerationResult>>([]);
        }

        Reserve(requests.Count);
        var work = new GenerationWork(requests, onStep, cancellationToken);
        Post(work, requests.Count);
        return work.Task;
    }

    /// <summary>Teacher-forced log-probabilities of <paramref name="ids"/>, batched with other callers' scoring requests.</summary>
    /// <param name="ids">The sequence (at least one id).</param>
    /// <param name="topLogprobs">Alternatives per position.</param>
    /// <param name="cancellationToken">Cancels before the pass starts.</param>
    /// <returns>One entry per id; the first has a null logprob.</returns>
    /// <exception cref="ArgumentException">An empty sequence, an id outside the vocabulary or a negative <paramref name="topLogprobs"/>.</exception>
    public Task<IReadOnlyList<GeneratedToken>> ScoreAsync(IReadOnlyList<int> ids, int topLogprobs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentOutOfRangeException.ThrowIfNegative(topLogprobs);
        GenerationValidation.ValidateIds(ids, _model.Config.VocabSize, "scoring request");
        Reserve(1);
        var work = new ScoringWork(ids, topLogprobs, cancellationToken);
        Post(work, 1);
        return work.Task;
    }

    /// <summary>Stops the decoding thread; waiting and running requests fail with <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _inbox.CompleteAdding();
        _stop.Cancel();
        _thread.Join();
        _stop.Dispose();
        _inbox.Dispose();
    }

    private void Reserve(int rows)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var queued = Interlocked.Add(ref _queuedRows, rows);
        if (queued > _options.MaxQueuedRows && queued != rows) // one oversized request alone is still served
        {
            Interlocked.Add(ref _queuedRows, -rows);
            throw new SchedulerOverloadedException($"the model is overloaded: more than {_options.MaxQueuedRows} sequences are waiting; retry later");
        }
    }

    private void Post(object work, int rows)
    {
        try
        {
            _inbox.Add(work);
        }
        catch (InvalidOperationException ex)
        {
            Interlocked.Add(ref _queuedRows, -rows);
            throw new ObjectDisposedException(nameof(GenerationScheduler), ex);
        }
    }

    private void Run()
    {
        using var inference = inference_mode();
        using var loop = new SchedulerLoop(this);
        try
        {
            loop.Run(_stop.Token);
        }
        finally
        {
            loop.FailEverything(new ObjectDisposedException(nameof(GenerationScheduler), "the model server is shutting down"));
        }
    }
}
