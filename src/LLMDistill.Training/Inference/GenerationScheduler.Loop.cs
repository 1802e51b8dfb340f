using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace LLMDistill.Inference;

/// <summary>The decoding thread of <see cref="GenerationScheduler"/>.</summary>
public sealed partial class GenerationScheduler
{
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
