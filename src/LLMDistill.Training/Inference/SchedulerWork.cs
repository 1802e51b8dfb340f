namespace LLMDistill.Inference;

/// <summary>A generation submission: its rows finish independently; the task completes when all have, or fails with the first failure.</summary>
internal sealed class GenerationWork : IDisposable
{
    private readonly TaskCompletionSource<IReadOnlyList<GenerationResult>> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly GenerationResult[] _results;
    private readonly CancellationTokenSource _cancellation;
    private int _remaining;

    public GenerationWork(IReadOnlyList<GenerationRequest> requests, Func<GenerationStep, bool>? onStep, CancellationToken cancellationToken)
    {
        Requests = requests;
        OnStep = onStep;
        _results = new GenerationResult[requests.Count];
        _remaining = requests.Count;
        // One failed row (or the caller's cancellation) cancels the submission's other rows.
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        CallerToken = cancellationToken;
    }

    public IReadOnlyList<GenerationRequest> Requests { get; }

    public Func<GenerationStep, bool>? OnStep { get; }

    public CancellationToken CallerToken { get; }

    public CancellationToken Token => _cancellation.Token;

    public Task<IReadOnlyList<GenerationResult>> Task => _completion.Task;

    /// <summary>Records a row that ended; completes the submission when it was the last, or fails it on the first failure.</summary>
    public void RowEnded(DecodeRow row)
    {
        if (row.Failure is { } failure)
        {
            Fail(failure);
            return;
        }

        _results[row.Index] = row.ToResult();
        if (--_remaining == 0)
        {
            _completion.TrySetResult(_results);
            _cancellation.Dispose();
        }
    }

    /// <summary>Fails the submission and stops its other rows.</summary>
    public void Fail(Exception failure)
    {
        if (_completion.Task.IsCompleted)
        {
            return;
        }

        if (failure is OperationCanceledException && CallerToken.IsCancellationRequested)
        {
            _completion.TrySetCanceled(CallerToken);
        }
        else
        {
            _completion.TrySetException(failure is OperationCanceledException oce && !CallerToken.IsCancellationRequested
                ? new InvalidOperationException("a row of this request was cancelled without the caller asking", oce)
                : failure);
        }

        try
        {
            _cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // already complete
        }
    }

    public void Dispose() => _cancellation.Dispose();
}

/// <summary>A scoring submission: one sequence, scored teacher-forced.</summary>
internal sealed class ScoringWork(IReadOnlyList<int> ids, int topLogprobs, CancellationToken cancellationToken)
{
    private readonly TaskCompletionSource<IReadOnlyList<GeneratedToken>> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<int> Ids { get; } = ids;

    public int TopLogprobs { get; } = topLogprobs;

    public CancellationToken Token { get; } = cancellationToken;

    public Task<IReadOnlyList<GeneratedToken>> Task => _completion.Task;

    public void Complete(IReadOnlyList<GeneratedToken> tokens) => _completion.TrySetResult(tokens);

    public void Fail(Exception failure)
    {
        if (failure is OperationCanceledException && Token.IsCancellationRequested)
        {
            _completion.TrySetCanceled(Token);
        }
        else
        {
            _completion.TrySetException(failure);
        }
    }
}
