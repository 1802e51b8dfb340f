namespace LLMDistill.Hub;

/// <summary>
/// Resolves a teacher or student model reference to a local directory: an existing directory is used as is;
/// <c>hf:&lt;repo-id&gt;[@revision]</c> is the cached snapshot when complete (no network call), else it is pulled first.
/// Failures are one line that names the setting and how to use a local directory instead.
/// </summary>
public sealed class ModelLocator
{
    /// <summary>A local model directory suggested in error messages (the offline demo model of this repository).</summary>
    public const string ExampleLocalModel = "../shared/models/shakespeare-4m";

    private readonly HubDownloader _downloader;

    /// <summary>Creates the locator.</summary>
    /// <param name="downloader">Pulls Hub references that are not cached yet.</param>
    public ModelLocator(HubDownloader downloader)
    {
        ArgumentNullException.ThrowIfNull(downloader);
        _downloader = downloader;
    }

    /// <summary>Resolves <paramref name="reference"/> to a model directory, downloading it if needed.</summary>
    /// <param name="reference">A directory path (relative to the working directory) or <c>hf:org/name[@revision]</c>.</param>
    /// <param name="settingKey">The configuration key that held the reference (e.g. <c>Teachers:local:Model</c>), named in errors.</param>
    /// <param name="progress">Receives download progress; may be null.</param>
    /// <param name="cancellationToken">Stops a download.</param>
    /// <returns>The model directory.</returns>
    /// <exception cref="HubException">The reference is malformed, the directory is missing, or the download failed; the message is one line naming <paramref name="settingKey"/>.</exception>
    public async Task<ModelLocation> ResolveAsync(string reference, string settingKey, IProgress<HubDownloadProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(settingKey);
        var text = reference?.Trim() ?? string.Empty;
        var useLocal = $"to use a local model directory instead, pass --{settingKey}=<directory> (for example --{settingKey}={ExampleLocalModel})";
        if (text.Length == 0)
        {
            throw new HubException(HubErrorCategory.NotFound, $"{settingKey}: no model given; set a model directory or hf:<org>/<name>[@revision]");
        }

        if (!HubModelReference.IsHubReference(text))
        {
            var directory = Path.GetFullPath(text);
            if (Directory.Exists(directory))
            {
                return new ModelLocation(directory, text, Snapshot: null);
            }

            var hint = HubRepoId.TryParse(text, out _, out _) && !text.StartsWith('.') ? $"; to download it from the Hugging Face Hub write hf:{text}" : string.Empty;
            throw new HubException(HubErrorCategory.NotFound, $"{settingKey}: model directory '{text}' does not exist (looked at {directory}){hint}");
        }

        if (!HubModelReference.TryParse(text, out var hubReference, out var error))
        {
            throw new HubException(HubErrorCategory.NotFound, $"{settingKey}: '{text}' is not a Hub model reference: {error}");
        }

        try
        {
            var snapshot = await _downloader.PullAsync(new HubPullRequest(hubReference.RepoId, hubReference.Revision, PreferCache: true), progress, cancellationToken);
            return new ModelLocation(snapshot.Directory, text, snapshot);
        }
        catch (HubException ex)
        {
            // network, access and not-found failures can be worked around with a local copy; a bad download or cache cannot
            var fallback = ex.Category is HubErrorCategory.Offline or HubErrorCategory.Unavailable or HubErrorCategory.Authentication or HubErrorCategory.NotFound
                ? $"; {useLocal}"
                : string.Empty;
            throw new HubException(ex.Category, $"{settingKey}: cannot get model '{text}': {ex.Message}{fallback}", ex.StatusCode, ex);
        }
    }
}
