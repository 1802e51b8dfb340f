using System.Diagnostics;
using LLMDistill.Tests.Fixtures;

namespace LLMDistill.Tests.Pipeline;

/// <summary>Runs the built <c>llmdistill</c> as a separate process in the repository root (where seeds/ and prompts/ are).</summary>
internal static class RunProcess
{
    public static (int Exit, string Stdout, string Stderr) Run(IEnumerable<string> args, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = SharedPaths.RepoRoot };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "llmdistill.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["LLMDISTILL_DEBUG"] = null;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"llmdistill {string.Join(' ', args)} did not exit; stdout so far: {stdout.Result}");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
