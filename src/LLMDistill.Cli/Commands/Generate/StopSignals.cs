using System.Runtime.InteropServices;

namespace LLMDistill.Cli.Commands.Generate;

/// <summary>
/// Turns the first SIGINT or SIGTERM into a graceful stop (cancels <paramref name="stop"/> and keeps the process
/// alive so the pipeline can flush); a second signal gets the default action (the process ends; the written files
/// are still consistent, and the next run repairs and resumes them).
/// </summary>
internal sealed class StopSignals(CancellationTokenSource stop) : IDisposable
{
    private readonly PosixSignalRegistration _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => OnSignal(stop, context));
    private readonly PosixSignalRegistration _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => OnSignal(stop, context));

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
    }

    private static void OnSignal(CancellationTokenSource stop, PosixSignalContext context)
    {
        if (stop.IsCancellationRequested)
        {
            return; // second signal: default handling ends the process
        }

        context.Cancel = true;
        stop.Cancel();
    }
}
