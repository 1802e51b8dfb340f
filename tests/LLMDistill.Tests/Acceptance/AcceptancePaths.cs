using LLMDistill.Tests.Fixtures;

namespace LLMDistill.Tests.Acceptance;

/// <summary>The committed acceptance configs (<c>bench/acceptance/*.json</c>, shared with the scripts) and a scratch directory per test.</summary>
internal sealed class AcceptancePaths : IDisposable
{
    public AcceptancePaths()
    {
        Root = Path.Combine(Path.GetTempPath(), "llmd-acc-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Root);
    }

    /// <summary>The scratch directory (outputs, caches, extra seeds), deleted on dispose.</summary>
    public string Root { get; }

    /// <summary>
    /// The target of a scalable acceptance run: <paramref name="ciDefault"/>, or <c>LLMDISTILL_ACCEPTANCE_SAMPLES</c>
    /// when set (the scripts in <c>bench/acceptance</c> run the same tests at full size that way).
    /// </summary>
    public static int Samples(int ciDefault)
        => int.TryParse(Environment.GetEnvironmentVariable("LLMDISTILL_ACCEPTANCE_SAMPLES"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0 ? n : ciDefault;

    /// <summary>A process timeout that grows with the target: a base plus <paramref name="perSample"/> seconds per sample.</summary>
    public static TimeSpan Timeout(int samples, double baseSeconds = 60, double perSample = 0.05)
        => TimeSpan.FromSeconds(baseSeconds + (perSample * samples));

    /// <summary>A committed config of <c>bench/acceptance</c>.</summary>
    public static string Config(string name) => Path.Combine(SharedPaths.RepoRoot, "bench", "acceptance", name);

    public string Output(string name) => Path.Combine(Root, name);

    /// <summary>Overrides that keep a run's output and response cache in the scratch directory.</summary>
    public string[] Scratch(string output, string cache = "cache")
        => ["--out", Output(output), "--Teachers:CacheDirectory=" + Output(cache)];

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a temp directory left behind does not fail a test
        }
    }
}
