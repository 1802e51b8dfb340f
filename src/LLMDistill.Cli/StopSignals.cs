using System.Diagnostics;
using System.Runtime.InteropServices;

namespace LLMDistill.Cli;

/// <summary>
/// The CLI's one Ctrl+C / SIGTERM mechanism (<see cref="CommandRunner"/> installs it around every command): the first
/// SIGINT or SIGTERM cancels <see cref="Token"/> and keeps the process alive, so the command can finish in-flight work,
/// flush its files or save a checkpoint, and exit (130, or 0 for <c>serve</c>, whose normal stop is a signal). A second
/// signal gets the default action: the process ends at once (written files stay consistent; the next run resumes).
/// </summary>
internal sealed class StopSignals : IDisposable
{
    // One request delivered twice (to the process and to its group, as `timeout` and some shells do) arrives within
    // moments; only a later signal is a user insisting.
    private static readonly TimeSpan SameRequest = TimeSpan.FromMilliseconds(500);

    private readonly CancellationTokenSource _stop;
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;
    private long _firstSignal;

    /// <summary>Starts handling SIGINT and SIGTERM.</summary>
    /// <param name="cancellationToken">Another reason to stop (the caller's token); also cancels <see cref="Token"/>.</param>
    public StopSignals(CancellationToken cancellationToken)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    /// <summary>Cancelled by the first signal (or the caller's token).</summary>
    public CancellationToken Token => _stop.Token;

    /// <summary>Stops handling the signals.</summary>
    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _stop.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        var first = Interlocked.CompareExchange(ref _firstSignal, Stopwatch.GetTimestamp(), 0);
        context.Cancel = first == 0 || Stopwatch.GetElapsedTime(first) < SameRequest; // false: default action, the process ends
        _stop.Cancel();
    }
}
