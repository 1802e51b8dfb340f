using System.Threading.Channels;
using LLMDistill.Data;
using LLMDistill.Generation.Prompts;
using LLMDistill.Generation.Seeds;
using LLMDistill.Teachers;
using Microsoft.Extensions.Logging;

namespace LLMDistill.Generation.Pipeline;

/// <summary>What the stages of one run share: options, teachers, templates, resume state, counters and the stop/target/fault state.</summary>
internal sealed class RunContext
{
    private readonly CancellationTokenSource _hard;
    private Exception? _fault;
    private int _targetReached;
    private long _filterNext;
    private long _freshInFlight;
    private long _keptDecided;

    public RunContext(CancellationTokenSource hard) => _hard = hard;

    public required GenerateOptions Options { get; init; }

    public required PromptLibrary Prompts { get; init; }

    public required IReadOnlyList<SeedTask> Seeds { get; init; }

    public required ITeacherClient Expander { get; init; }

    public required IReadOnlyList<ITeacherClient> Answerers { get; init; }

    public ITeacherClient? Judge { get; init; }

    public IScoringTeacherClient? Scorer { get; init; }

    public required ResumeState Resume { get; init; }

    public required GenerationCounters Counters { get; init; }

    public required ILogger Logger { get; init; }

    public required string OutputDirectory { get; init; }

    /// <summary>Hash of the answering configuration (teachers, sampling, templates): part of every sample id.</summary>
    public required string AnswerFingerprint { get; init; }

    public TaskPool Pool { get; } = new();

    /// <summary>Pulsed whenever the filter advances or the target is reached.</summary>
    public AsyncSignal Changed { get; } = new();

    /// <summary>Graceful stop (Ctrl+C): no new expansion or admission; in-flight work may finish.</summary>
    public CancellationToken StopToken { get; init; }

    public TeacherMode Mode => Options.Mode;

    public bool TargetReached => Volatile.Read(ref _targetReached) == 1;

    public bool ShouldStop => TargetReached || StopToken.IsCancellationRequested;

    public Exception? Fault => Volatile.Read(ref _fault);

    /// <summary>Set when expansion ended for good (rounds exhausted or stalled), not because of a stop.</summary>
    public bool InputsExhausted { get; set; }

    public System.Collections.Concurrent.ConcurrentQueue<string> Notes { get; } = new();

    public string SampleIdFor(string taskId) => ContentHash.Of("sample", taskId, AnswerFingerprint);

    public void MarkTargetReached()
    {
        if (Interlocked.Exchange(ref _targetReached, 1) == 0)
        {
            Pool.Close(); // no further round is needed; expansion waiting for one stops
            Changed.Pulse();
        }
    }

    /// <summary>The filter has taken every ordinal below <paramref name="next"/> off the reorder buffer.</summary>
    public void AdvanceFilter(long next)
    {
        Volatile.Write(ref _filterNext, next);
        Changed.Pulse();
    }

    /// <summary>Waits until <paramref name="ordinal"/> fits in the reorder window (or there is nothing left to wait for).</summary>
    public Task WaitForAdmissionAsync(long ordinal, CancellationToken cancellationToken)
        => Changed.WaitUntilAsync(() => ordinal < Volatile.Read(ref _filterNext) + Options.Pipeline.ReorderWindow || ShouldStop, cancellationToken);

    /// <summary>
    /// Waits until one more task may go to the teachers: at most max(answer parallelism, 1.5 × samples still needed)
    /// in flight, so the run does not pay for many answers it will throw away as surplus at the target. Only timing
    /// depends on this, never a decision.
    /// </summary>
    public Task WaitForTeacherSlotAsync(CancellationToken cancellationToken)
        => Changed.WaitUntilAsync(
            () =>
            {
                var remaining = Options.TargetSamples - Volatile.Read(ref _keptDecided);
                var cap = Math.Max(Options.Pipeline.AnswerParallelism, (long)Math.Ceiling(1.5 * remaining));
                return Volatile.Read(ref _freshInFlight) < cap || ShouldStop;
            },
            cancellationToken);

    /// <summary>A fresh task was admitted.</summary>
    public void FreshAdmitted() => Interlocked.Increment(ref _freshInFlight);

    /// <summary>The filter took a fresh task off the pipeline.</summary>
    public void FreshDone()
    {
        Interlocked.Decrement(ref _freshInFlight);
        Changed.Pulse();
    }

    /// <summary>The filter kept a sample (or replayed a kept one).</summary>
    public void KeptDecided()
    {
        Interlocked.Increment(ref _keptDecided);
        Changed.Pulse();
    }

    /// <summary>Records the first failure and stops every stage.</summary>
    public void Fail(Exception exception)
    {
        if (exception is OperationCanceledException)
        {
            return;
        }

        Interlocked.CompareExchange(ref _fault, exception, null);
        _hard.Cancel();
        Changed.Pulse();
    }

    /// <summary>The rejection record of a candidate.</summary>
    public static RejectedSample Reject(TaskCandidate task, string reason, string? detail, TeachingScores? scores = null, string? teacher = null, string? response = null)
        => new(task.Key, task.TaskId, reason, detail, task.Mode, task.Text, task.Input, task.SeedId, task.Category, task.Origin, scores, teacher, response);

    /// <summary>Runs a worker loop, reporting its failure so the other stages stop.</summary>
    public async Task GuardAsync(Func<Task> body)
    {
        try
        {
            await body();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Fail(ex);
            throw;
        }
    }

    /// <summary>Runs <paramref name="count"/> copies of <paramref name="worker"/>, each under <see cref="GuardAsync"/>, and waits for all.</summary>
    public Task RunWorkersAsync(int count, Func<Task> worker)
        => Task.WhenAll(Enumerable.Range(0, count).Select(_ => GuardAsync(worker)));

    /// <summary>
    /// Runs a stage's body, then completes the stage's output: with the body's failure, so the next stage sees it, or
    /// normally when it ended or was cancelled.
    /// </summary>
    public static async Task CompleteAfterAsync<T>(ChannelWriter<T> output, Func<Task> body)
    {
        Exception? error = null;
        try
        {
            await body();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            error = ex;
            throw;
        }
        finally
        {
            output.TryComplete(error);
        }
    }
}
