namespace LLMDistill.Tests.Fixtures;

/// <summary>Locates ../shared (fixtures, models, data) beside the repository root; LLMDISTILL_SHARED overrides.</summary>
internal static class SharedPaths
{
    private static readonly Lazy<string> SharedRoot = new(FindShared);

    public static string Root => SharedRoot.Value;

    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Model(string name) => Path.Combine(Root, "models", name);

    public static string HfFixture(string name) => Path.Combine(Root, "fixtures", "hf", name);

    public static string Data(string file) => Path.Combine(Root, "data", file);

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LLMDistill.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("LLMDistill.sln not found above " + AppContext.BaseDirectory);
    }

    private static string FindShared()
    {
        var fromEnv = Environment.GetEnvironmentVariable("LLMDISTILL_SHARED");
        var path = fromEnv ?? Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));
        return Directory.Exists(path) ? path : throw new DirectoryNotFoundException($"shared folder not found at '{path}' (set LLMDISTILL_SHARED)");
    }
}
