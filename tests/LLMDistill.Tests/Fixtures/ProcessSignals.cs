using System.Diagnostics;
using System.Globalization;

namespace LLMDistill.Tests.Fixtures;

/// <summary>Sends Ctrl+C-like signals to a child process, as a user or a supervisor would.</summary>
internal static class ProcessSignals
{
    /// <summary>Sends <c>SIG<paramref name="signal"/></c> (<c>INT</c>, <c>TERM</c>) with <c>kill</c>.</summary>
    public static void Send(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, pid.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        kill.WaitForExit();
    }

    /// <summary>
    /// <paramref name="signal"/>, or TERM where this process ignores SIGINT: a process that ignores SIGINT from birth
    /// (started in the background by a shell) passes that on to its children, which keep ignoring it; SIGTERM takes the same path.
    /// </summary>
    public static string Deliverable(string signal) => signal == "INT" && SigintIgnoredHere() ? "TERM" : signal;

    private static bool SigintIgnoredHere()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & 0x2) != 0; // bit 1 = SIGINT
    }
}
