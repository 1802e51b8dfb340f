using System.Collections.Concurrent;
using System.Diagnostics;
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
public sealed class GenerationScheduler : IDisposable
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

    /// <summary>The decoding thread's state: the running batch and the work waiting for it.</summary>
    private sealed class SchedulerLoop(GenerationScheduler owner) : IDisposable
    {
        private readonly DecodeBatch _batch = new(owner._model);
        private readonly Queue<DecodeRow> _waiting = new();
        private readonly List<ScoringWork> _scoring = [];
        private readonly HashSet<GenerationWork> _active = [];
        private long _firstWaitingSince;

        public void Run(CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                if (!Collect(stop))
                {
                    return;
                }

                if (_scoring.Count > 0)
                {
                    Score();
                }

                if (owner._options.Mode == BatchingMode.Continuous || _batch.LiveCount == 0)
                {
                    Admit();
                }

                if (_batch.LiveCount > 0)
                {
                    Guarded(() =>
                    {
                        var before = _batch.LiveCount;
                        var ended = _batch.Step();
                        Count(ref owner._decodeSteps, ref owner._forwardPasses);
                        Interlocked.Add(ref owner._generatedTokens, before);
                        Ended(ended);
                    });
                }
            }
        }

        public void Dispose() => _batch.Dispose();

        public void FailEverything(Exception failure)
        {
            Ended(_batch.FailAll(failure));
            while (_waiting.TryDequeue(out var row))
            {
                ((GenerationWork)row.Owner!).Fail(failure);
            }

            foreach (var work in _scoring)
            {
                work.Fail(failure);
            }

            while (owner._inbox.TryTake(out var item))
            {
                (item as GenerationWork)?.Fail(failure);
                (item as ScoringWork)?.Fail(failure);
            }
        }

        /// <summary>Takes new work: blocks while there is nothing to do; in dynamic mode waits out the window before a new batch.</summary>
        private bool Collect(CancellationToken stop)
        {
            try
            {
                if (_batch.LiveCount == 0 && _waiting.Count == 0 && _scoring.Count == 0)
                {
                    Accept(owner._inbox.Take(stop));
                }

                while (owner._inbox.TryTake(out var item))
                {
                    Accept(item);
                }

                if (owner._options.Mode == BatchingMode.Dynamic && _batch.LiveCount == 0 && _waiting.Count > 0)
                {
                    var deadline = _firstWaitingSince + (long)(owner._options.BatchWindow.TotalSeconds * Stopwatch.Frequency);
                    while (_waiting.Count < owner._options.MaxBatchSize && Stopwatch.GetTimestamp() < deadline)
                    {
                        var left = (int)Math.Ceiling((deadline - Stopwatch.GetTimestamp()) * 1000.0 / Stopwatch.Frequency);
                        if (owner._inbox.TryTake(out var item, Math.Max(left, 0), stop))
                        {
                            Accept(item);
                        }
                    }
                }

                return true;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return false;
            }
            catch (InvalidOperationException) when (owner._inbox.IsAddingCompleted)
            {
                return false;
            }
        }

        private void Accept(object item)
        {
            if (item is ScoringWork scoring)
            {
                _scoring.Add(scoring);
                return;
            }

            var work = (GenerationWork)item;
            if (_waiting.Count == 0)
            {
                _firstWaitingSince = Stopwatch.GetTimestamp();
            }

            for (var i = 0; i < work.Requests.Count; i++)
            {
                _waiting.Enqueue(new DecodeRow(i, work.Requests[i], owner._defaultStopIds, work.OnStep, work.Token, work));
            }
        }

        private void Admit()
        {
            var rows = new List<DecodeRow>();
            while (_batch.LiveCount + rows.Count < owner._options.MaxBatchSize && _waiting.TryDequeue(out var row))
            {
                Interlocked.Decrement(ref owner._queuedRows);
                var work = (GenerationWork)row.Owner!;
                if (row.CancellationToken.IsCancellationRequested)
                {
                    work.Fail(new OperationCanceledException(row.CancellationToken)); // never started
                    continue;
                }

                _active.Add(work);
                rows.Add(row);
            }

            if (rows.Count == 0)
            {
                return;
            }

            try
            {
                _batch.Admit(rows);
                Count(ref owner._prefills, ref owner._forwardPasses);
                InterlockedMax(ref owner._maxLiveRows, _batch.LiveCount);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                owner._logger.LogError(ex, "prefill of {Rows} sequences failed", rows.Count);
                foreach (var row in rows)
                {
                    row.Fail(ex);
                }

                Ended(rows);
            }
        }

        private void Score()
        {
            var jobs = new List<ScoringWork>();
            var longest = 0;
            foreach (var work in _scoring.ToArray())
            {
                if (work.Token.IsCancellationRequested)
                {
                    Finish(work, () => work.Fail(new OperationCanceledException(work.Token)));
                    continue;
                }

                var next = Math.Max(longest, work.Ids.Count);
                if (jobs.Count > 0 && (jobs.Count + 1L) * next > owner._options.MaxScoringTokens)
                {
                    continue; // the next pass takes it
                }

                longest = next;
                jobs.Add(work);
            }

            if (jobs.Count == 0)
            {
                return;
            }

            Guarded(() =>
            {
                try
                {
                    var results = TeacherForcedScorer.Score(owner._model, jobs.Select(j => j.Ids).ToArray(), jobs.Select(j => j.TopLogprobs).ToArray());
                    Count(ref owner._scoringPasses, ref owner._forwardPasses);
                    for (var i = 0; i < jobs.Count; i++)
                    {
                        var (work, result) = (jobs[i], results[i]);
                        Finish(work, () => work.Complete(result));
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    owner._logger.LogError(ex, "scoring pass of {Rows} sequences failed", jobs.Count);
                    foreach (var work in jobs)
                    {
                        Finish(work, () => work.Fail(ex));
                    }
                }
            });
        }

        private void Finish(ScoringWork work, Action complete)
        {
            _scoring.Remove(work);
            Interlocked.Decrement(ref owner._queuedRows);
            Interlocked.Increment(ref owner._requests);
            complete();
        }

        private void Ended(IReadOnlyList<DecodeRow> rows)
        {
            foreach (var row in rows)
            {
                var work = (GenerationWork)row.Owner!;
                work.RowEnded(row);
                if (work.Task.IsCompleted && _active.Remove(work))
                {
                    Interlocked.Increment(ref owner._requests);
                }
            }
        }

        /// <summary>Runs a decoding step; a failure (e.g. out of memory) fails the rows of the batch, never the thread.</summary>
        private void Guarded(Action step)
        {
            try
            {
                step();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                owner._logger.LogError(ex, "decoding step failed; failing the {Rows} running sequences", _batch.LiveCount);
                Ended(_batch.FailAll(ex));
            }
        }

        private static void Count(ref long kind, ref long forwardPasses)
        {
            Interlocked.Increment(ref kind);
            Interlocked.Increment(ref forwardPasses);
        }

        private static void InterlockedMax(ref int target, int value)
        {
            var current = Volatile.Read(ref target);
            while (value > current && Interlocked.CompareExchange(ref target, value, current) != current)
            {
                current = Volatile.Read(ref target);
            }
        }
    }
}
