namespace LLMDistill.Cli;

/// <summary>
/// Runs a command body with the CLI's error contract: exit 0 on success, non-zero with a one-line reason
/// on stderr on failure (no stack trace unless LLMDISTILL_DEBUG=1), 130 on Ctrl+C. The body's token is cancelled by the
/// first Ctrl+C/SIGTERM (<see cref="StopSignals"/>), so every command stops the same way: it flushes or checkpoints, then ends.
/// </summary>
internal static class CommandRunner
{
    public static async Task<int> RunAsync(Func<CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        using var signals = new StopSignals(cancellationToken);
        try
        {
            return await body(signals.Token);
        }
        catch (OperationCanceledException) when (signals.Token.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("llmdistill: cancelled");
            return 130;
        }
#pragma warning disable CA1031 // the top level turns every failure into one clear line and an exit code
        catch (Exception ex)
#pragma warning restore CA1031
        {
            var inner = ex is AggregateException { InnerExceptions.Count: 1 } agg ? agg.InnerExceptions[0] : ex;
            await Console.Error.WriteLineAsync($"llmdistill: error: {OneLine(inner.Message)}");
            if (Environment.GetEnvironmentVariable("LLMDISTILL_DEBUG") == "1")
            {
                await Console.Error.WriteLineAsync(inner.ToString());
            }

            return 1;
        }
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
