using System.Globalization;
using LLMDistill.Generation;

namespace LLMDistill.Cli.Commands.Generate;

/// <summary>Text of the progress display and log lines.</summary>
internal static class ProgressFormat
{
    public static string Line(GenerationProgress p)
    {
        ArgumentNullException.ThrowIfNull(p);
        var percent = p.Target > 0 ? 100.0 * p.Kept / p.Target : 0;
        return string.Create(CultureInfo.InvariantCulture,
            $"generate: kept {p.Kept}/{p.Target} ({percent:F1}%), rejected {p.Rejected}, answered {Count(p, "answered")}, judged {Count(p, "judged")}, " +
            $"{p.KeptPerSecond:F2} samples/s, eta {Eta(p.Eta)}, tokens {Tokens(p.Tokens)}, cost ${p.CostUsd:F4}, elapsed {Duration(p.Elapsed)}");
    }

    public static long Count(GenerationProgress p, string name) => p.Counts.GetValueOrDefault(name);

    public static string Eta(TimeSpan? eta) => eta is { } e ? Duration(e) : "-";

    public static string Duration(TimeSpan t)
        => t.TotalHours >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}h{t.Minutes:D2}m")
            : t.TotalMinutes >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{t.Minutes}m{t.Seconds:D2}s")
            : string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:F0}s");

    public static string Tokens(long tokens)
        => tokens >= 1_000_000 ? string.Create(CultureInfo.InvariantCulture, $"{tokens / 1e6:F2}M")
            : tokens >= 1_000 ? string.Create(CultureInfo.InvariantCulture, $"{tokens / 1e3:F1}k")
            : tokens.ToString(CultureInfo.InvariantCulture);
}
