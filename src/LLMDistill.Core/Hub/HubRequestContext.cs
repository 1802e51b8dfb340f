namespace LLMDistill.Hub;

/// <summary>What a request was for, so error messages can name the repository, revision and file.</summary>
/// <param name="RepoId">The repository.</param>
/// <param name="Revision">The revision asked for (branch, tag or commit).</param>
/// <param name="File">The file, for downloads; null for API calls.</param>
internal sealed record HubRequestContext(HubRepoId RepoId, string Revision, string? File = null)
{
    /// <summary>A short description for messages: <c>resolving 'org/name'@main</c> or <c>downloading 'x' of 'org/name'@abc12345</c>.</summary>
    public string Describe()
        => File is null ? $"resolving '{RepoId}'@{Revision}" : $"downloading '{File}' of '{RepoId}'@{ShortRevision}";

    private string ShortRevision => HubRevision.IsCommitHash(Revision) ? Revision[..8] : Revision;
}
