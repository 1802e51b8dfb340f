using System.Diagnostics.CodeAnalysis;

namespace LLMDistill.Hub;

/// <summary>Checks revisions (branch, tag, <c>refs/pr/N</c> or commit hash) before they become URL parts or <c>refs/</c> file names.</summary>
internal static class HubRevision
{
    /// <summary>True for a full 40-character lowercase commit hash, which needs no lookup and never changes.</summary>
    public static bool IsCommitHash(string revision)
        => revision.Length == 40 && revision.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));

    /// <summary>Rejects empty revisions and ones that could escape the <c>refs/</c> folder.</summary>
    public static bool IsValid(string? revision, [NotNullWhen(false)] out string? error)
    {
        error = revision switch
        {
            null or "" => "revision is empty; give a branch, tag or commit hash (default: main)",
            { Length: > 256 } => "revision is longer than 256 characters",
            _ when revision.StartsWith('/') || revision.EndsWith('/') || revision.Contains("//", StringComparison.Ordinal)
                || revision.Split('/').Any(s => s is "." or "..") || revision.Any(c => char.IsControl(c) || c is '\\' or ':' or '*' or '?' or '"' or '<' or '>' or '|') =>
                $"revision '{revision}' is not a valid branch, tag or commit",
            _ => null,
        };
        return error is null;
    }
}
