using System.Diagnostics;

namespace LLMDistill.Tests.Evaluation.Report;

/// <summary>Runs Debian's headless Chromium (LLMDISTILL_CHROMIUM overrides the path) offline, with a throw-away profile.</summary>
internal static class HeadlessChromium
{
    public static string Path => Environment.GetEnvironmentVariable("LLMDISTILL_CHROMIUM") ?? "/usr/bin/chromium";

    public static async Task<string> RunAsync(string profileDirectory, IEnumerable<string> arguments, string url, TimeSpan timeout)
    {
        Assert.True(File.Exists(Path), $"headless Chromium not found at {Path}: install Debian's 'chromium' package (.ci/run does) or set LLMDISTILL_CHROMIUM");
        var start = new ProcessStartInfo(Path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--hide-scrollbars", $"--user-data-dir={profileDirectory}",
        }.Concat(arguments).Append(url))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"chromium did not finish within {timeout.TotalSeconds} s: {await stderr}");
        }

        Assert.True(process.ExitCode == 0, $"chromium exited with {process.ExitCode}: {await stderr}");
        return await stdout;
    }
}
