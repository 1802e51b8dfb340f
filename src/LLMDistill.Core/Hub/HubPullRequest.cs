namespace LLMDistill.Hub;

/// <summary>What <see cref="HubDownloader.PullAsync"/> should fetch.</summary>
/// <param name="RepoId">The model repository.</param>
/// <param name="Revision">A branch, tag or commit hash.</param>
/// <param name="Include">Patterns added to <see cref="HubOptions.AllowPatterns"/> (e.g. <c>*.bin</c>), or null.</param>
/// <param name="PreferCache">
/// Use a complete cached snapshot of the revision without asking the Hub whether the branch moved (model resolution);
/// false asks the Hub every time (<c>pull</c>), except for commit hashes, which never change.
/// </param>
public sealed record HubPullRequest(HubRepoId RepoId, string Revision = HubModelReference.DefaultRevision, IReadOnlyList<string>? Include = null, bool PreferCache = false);
