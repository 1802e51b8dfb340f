namespace LLMDistill.Generation.Pipeline;

/// <summary>
/// Wakes waiters when shared state changes. Take <see cref="Current"/> before checking the condition, then await it,
/// so a pulse between the check and the wait is not lost.
/// </summary>
internal sealed class AsyncSignal
{
    private TaskCompletionSource _source = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Current => Volatile.Read(ref _source).Task;

    public void Pulse()
        => Interlocked.Exchange(ref _source, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Waits until <paramref name="condition"/> holds.</summary>
    public async Task WaitUntilAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (true)
        {
            var wait = Current;
            if (condition())
            {
                return;
            }

            await wait.WaitAsync(cancellationToken);
        }
    }
}
