using System.Text.Json;

namespace LLMDistill.Hub;

/// <summary>
/// The one Hub API call the downloader needs: <c>GET {endpoint}/api/models/{repo}/revision/{rev}?blobs=true</c>,
/// which answers the commit (<c>sha</c>) and every file (<c>siblings</c>) with its size, git blob id and, for LFS
/// files, SHA-256.
/// </summary>
internal sealed class HubApiClient(HubHttpClient http)
{
    /// <summary>Resolves <paramref name="revision"/> to a commit and lists its files.</summary>
    /// <exception cref="HubException">The repository or revision is missing, access is denied, the Hub is unreachable, or the answer is malformed.</exception>
    public Task<HubRevisionInfo> GetRevisionAsync(HubRepoId repoId, string revision, CancellationToken cancellationToken)
    {
        var context = new HubRequestContext(repoId, revision);
        var uri = HubEndpoint.Combine(http.Endpoint, $"api/models/{repoId.Value}/revision/{Uri.EscapeDataString(revision)}?blobs=true");
        return http.ExecuteAsync(
            async token =>
            {
                using var response = await http.GetAsync(uri, 0, token);
                if (!response.IsSuccessStatusCode)
                {
                    throw HubErrors.FromResponse(response, context, http.Endpoint, http.HasToken);
                }

                await using var body = await response.Content.ReadAsStreamAsync(token);
                JsonDocument document;
                try
                {
                    document = await JsonDocument.ParseAsync(body, cancellationToken: token);
                }
                catch (JsonException ex)
                {
                    throw Malformed(context, http.Endpoint, $"the answer is not JSON ({ex.Message})");
                }

                using (document)
                {
                    return Parse(document.RootElement, context, http.Endpoint);
                }
            },
            context,
            cancellationToken);
    }

    /// <summary>Reads the revision answer, rejecting missing fields and file names that could escape the snapshot folder.</summary>
    internal static HubRevisionInfo Parse(JsonElement root, HubRequestContext context, Uri endpoint)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("sha", out var sha) || sha.ValueKind != JsonValueKind.String
            || !HubRevision.IsCommitHash(sha.GetString()!))
        {
            throw Malformed(context, endpoint, "it has no 40-character commit hash in 'sha'");
        }

        if (!root.TryGetProperty("siblings", out var siblings) || siblings.ValueKind != JsonValueKind.Array)
        {
            throw Malformed(context, endpoint, "it has no 'siblings' file list");
        }

        var files = new List<HubRepoFile>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var sibling in siblings.EnumerateArray())
        {
            var path = sibling.ValueKind == JsonValueKind.Object && sibling.TryGetProperty("rfilename", out var name) && name.ValueKind == JsonValueKind.String
                ? name.GetString()!
                : throw Malformed(context, endpoint, "a sibling has no 'rfilename'");
            if (!HubCache.IsSafeRelativePath(path))
            {
                throw Malformed(context, endpoint, $"file name '{path}' is not a safe relative path");
            }

            if (!seen.Add(path))
            {
                throw Malformed(context, endpoint, $"file '{path}' is listed twice");
            }

            var size = sibling.TryGetProperty("size", out var sizeElement) && sizeElement.TryGetInt64(out var s) && s >= 0
                ? s
                : throw Malformed(context, endpoint, $"file '{path}' has no 'size' (the endpoint must support ?blobs=true)");
            var blobId = sibling.TryGetProperty("blobId", out var blob) && blob.ValueKind == JsonValueKind.String && HubRevision.IsCommitHash(blob.GetString()!)
                ? blob.GetString()!
                : throw Malformed(context, endpoint, $"file '{path}' has no 40-character 'blobId'");
            string? sha256 = null;
            if (sibling.TryGetProperty("lfs", out var lfs) && lfs.ValueKind == JsonValueKind.Object)
            {
                sha256 = lfs.TryGetProperty("sha256", out var hash) && hash.ValueKind == JsonValueKind.String && IsSha256(hash.GetString()!)
                    ? hash.GetString()!
                    : throw Malformed(context, endpoint, $"LFS file '{path}' has no 64-character 'lfs.sha256'");
            }

            files.Add(new HubRepoFile(path, size, blobId, sha256));
        }

        return new HubRevisionInfo(context.RepoId.Value, sha.GetString()!, files);
    }

    private static bool IsSha256(string hash) => hash.Length == 64 && hash.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));

    private static HubException Malformed(HubRequestContext context, Uri endpoint, string problem)
        => new(HubErrorCategory.InvalidResponse, $"{context.Describe()}: the answer of {HubEndpoint.Display(endpoint)} is not a Hugging Face Hub revision: {problem}");
}
