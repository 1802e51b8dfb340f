using System.Diagnostics;
using System.Text;

namespace LLMDistill.Tests.Acceptance;

/// <summary>
/// The built <c>llmdistill</c> as a separate process in a chosen working directory, so an acceptance test can wait
/// for it, watch its output, or kill it with SIGKILL (<see cref="Kill"/>) as a crash would.
/// </summary>
internal sealed class CliRun : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource _stdoutDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrDone = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private CliRun(Process process) => _process = process;

    /// <summary>Starts <c>llmdistill ARGS</c> in <paramref name="workingDirectory"/> with extra environment variables.</summary>
    public static CliRun Start(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "llmdistill.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        var run = new CliRun(process);
        process.OutputDataReceived += (_, e) => run.Append(run._stdout, run._stdoutDone, e.Data);
        process.ErrorDataReceived += (_, e) => run.Append(run._stderr, run._stderrDone, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return run;
    }

    /// <summary>Runs <c>llmdistill ARGS</c> to the end.</summary>
    public static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string>? environment, TimeSpan timeout, params string[] args)
    {
        using var run = Start(workingDirectory, environment, args);
        return await run.WaitAsync(timeout);
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Stdout
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Waits for the exit and the end of both streams; fails the test (after killing the process) on a timeout.</summary>
    public async Task<(int Exit, string Stdout, string Stderr)> WaitAsync(TimeSpan timeout)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            Kill();
            Assert.Fail($"llmdistill did not exit within {timeout.TotalSeconds:F0} s; stderr tail: {Tail(Stderr)}");
        }

        await Task.WhenAll(_stdoutDone.Task, _stderrDone.Task).WaitAsync(TimeSpan.FromSeconds(10));
        return (_process.ExitCode, Stdout, Stderr);
    }

    /// <summary>SIGKILL: no handler runs, nothing is flushed; then waits until the process is gone.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit(30_000);
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    internal static string Tail(string text, int lines = 8)
        => string.Join(" | ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(lines));

    private void Append(StringBuilder buffer, TaskCompletionSource done, string? line)
    {
        if (line is null)
        {
            done.TrySetResult();
            return;
        }

        lock (buffer)
        {
            buffer.Append(line).Append('\n');
        }
    }
}
