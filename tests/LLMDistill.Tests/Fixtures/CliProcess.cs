using System.Diagnostics;
using System.Text;

namespace LLMDistill.Tests.Fixtures;

/// <summary>
/// The built <c>llmdistill</c> as a separate process, as users and tools run it: <see cref="Run(string[])"/> and
/// <see cref="RunAsync"/> run it to the end; <see cref="Start"/> returns a handle to wait for it, watch its output, or
/// kill it with SIGKILL (<see cref="Kill"/>) as a crash would. The child's environment is hermetic: inherited
/// <c>HF_*</c> and <c>LLMDISTILL_*</c> variables (a developer's token, endpoint or debug switch) are removed, and only
/// the variables a test passes are set.
/// </summary>
internal sealed class CliProcess : IDisposable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource _stdoutDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrDone = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private CliProcess(Process process) => _process = process;

    /// <summary>How to start <c>llmdistill ARGS</c> (for tests that read its streams themselves).</summary>
    /// <param name="args">The command line.</param>
    /// <param name="workingDirectory">Its working directory; null for the test's.</param>
    /// <param name="environment">Variables to set in the child.</param>
    public static ProcessStartInfo StartInfo(IEnumerable<string> args, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path : "dotnet";
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }

        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "llmdistill.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("HF_", StringComparison.Ordinal) || k.StartsWith("LLMDISTILL_", StringComparison.Ordinal)).ToArray())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return start;
    }

    /// <summary>Runs <c>llmdistill ARGS</c> in the test's directory to the end.</summary>
    public static (int Exit, string Stdout, string Stderr) Run(params string[] args) => Run(args, null);

    /// <summary>Runs <c>llmdistill ARGS</c> to the end; fails the test (after killing the process) on a timeout.</summary>
    public static (int Exit, string Stdout, string Stderr) Run(IEnumerable<string> args, string? workingDirectory, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var list = args.ToList();
        using var process = Process.Start(StartInfo(list, workingDirectory, environment))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var limit = timeout ?? DefaultTimeout;
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Assert.Fail($"llmdistill {string.Join(' ', list)} did not exit within {limit.TotalSeconds:F0} s; stdout so far: {stdout.Result}");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs <c>llmdistill ARGS</c> in <paramref name="workingDirectory"/> to the end.</summary>
    public static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string>? environment, TimeSpan timeout, params string[] args)
    {
        using var run = Start(workingDirectory, environment, args);
        return await run.WaitAsync(timeout);
    }

    /// <summary>Starts <c>llmdistill ARGS</c> in <paramref name="workingDirectory"/> with extra environment variables.</summary>
    public static CliProcess Start(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var process = new Process { StartInfo = StartInfo(args, workingDirectory, environment) };
        var run = new CliProcess(process);
        process.OutputDataReceived += (_, e) => run.Append(run._stdout, run._stdoutDone, e.Data);
        process.ErrorDataReceived += (_, e) => run.Append(run._stderr, run._stderrDone, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return run;
    }

    /// <summary>Asserts the CLI's error contract: exactly one stderr line, <c>llmdistill: error: ...</c>, containing <paramref name="expected"/>.</summary>
    public static void AssertOneErrorLine(string stderr, string expected)
    {
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("llmdistill: error: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
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
