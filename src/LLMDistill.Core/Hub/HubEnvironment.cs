namespace LLMDistill.Hub;

/// <summary>
/// The <c>huggingface_hub</c> environment variables that apply to downloads: <c>HF_ENDPOINT</c>, <c>HF_TOKEN</c>
/// (or the token file <c>$HF_HOME/token</c> / <c>HF_TOKEN_PATH</c> that <c>hf auth login</c> writes),
/// <c>HF_HUB_OFFLINE</c>, <c>HF_HUB_CACHE</c> and <c>HF_HOME</c>. Read once and injected, so tests never touch
/// the process environment. <see cref="ToString"/> never shows the token.
/// </summary>
public sealed class HubEnvironment
{
    private HubEnvironment(string? endpoint, string? token, bool offline, string defaultCacheDir)
    {
        Endpoint = endpoint;
        Token = token;
        Offline = offline;
        DefaultCacheDir = defaultCacheDir;
    }

    /// <summary><c>HF_ENDPOINT</c>, or null when unset.</summary>
    public string? Endpoint { get; }

    /// <summary>The access token sent as <c>Authorization: Bearer</c>; never logged, written or put in a message.</summary>
    public string? Token { get; }

    /// <summary><c>HF_HUB_OFFLINE</c> is <c>1</c>/<c>true</c>/<c>yes</c>/<c>on</c>: no network calls, the cache only.</summary>
    public bool Offline { get; }

    /// <summary>The cache root from <c>HF_HUB_CACHE</c>, else <c>$HF_HOME/hub</c>, else <c>$XDG_CACHE_HOME/huggingface/hub</c> or <c>~/.cache/huggingface/hub</c>.</summary>
    public string DefaultCacheDir { get; }

    /// <summary>An environment with no variables set (the public Hub, no token, the default cache under the home directory).</summary>
    public static HubEnvironment Empty { get; } = FromVariables(_ => null);

    /// <summary>Reads the current process's environment variables (and the token file they point to).</summary>
    /// <returns>The environment.</returns>
    public static HubEnvironment FromProcess() => FromVariables(Environment.GetEnvironmentVariable, readTokenFile: true);

    /// <summary>Builds the environment from a lookup of variable names, e.g. a dictionary in tests.</summary>
    /// <param name="getVariable">Returns a variable's value, or null when unset.</param>
    /// <param name="readTokenFile">Also read the token file when <c>HF_TOKEN</c> is unset.</param>
    /// <returns>The environment.</returns>
    public static HubEnvironment FromVariables(Func<string, string?> getVariable, bool readTokenFile = false)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        string? Get(string name) => getVariable(name) is { Length: > 0 } value ? value.Trim() : null;

        var home = Get("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var hfHome = Get("HF_HOME") ?? Path.Combine(Get("XDG_CACHE_HOME") ?? Path.Combine(home, ".cache"), "huggingface");
        var cache = Get("HF_HUB_CACHE") ?? Get("HUGGINGFACE_HUB_CACHE") ?? Path.Combine(hfHome, "hub");
        var token = Get("HF_TOKEN") ?? Get("HUGGING_FACE_HUB_TOKEN");
        if (token is null && readTokenFile)
        {
            token = ReadTokenFile(Get("HF_TOKEN_PATH") ?? Path.Combine(hfHome, "token"));
        }

        var offline = Get("HF_HUB_OFFLINE")?.ToUpperInvariant() is "1" or "TRUE" or "YES" or "ON";
        return new HubEnvironment(Get("HF_ENDPOINT"), token, offline, ExpandHome(cache, home));
    }

    /// <summary>Describes the environment without the token's value.</summary>
    /// <returns>A description for logs.</returns>
    public override string ToString()
        => $"HF_ENDPOINT={Endpoint ?? "(unset)"}, token={(Token is null ? "none" : "set")}, offline={Offline}, cache={DefaultCacheDir}";

    private static string? ReadTokenFile(string path)
    {
        try
        {
            return File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } token ? token : null;
        }
        catch (IOException)
        {
            return null; // an unreadable token file is the same as none: public repos still work
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string ExpandHome(string path, string home)
        => path == "~" || path.StartsWith("~/", StringComparison.Ordinal) ? Path.Combine(home, path.TrimStart('~').TrimStart('/')) : path;
}
