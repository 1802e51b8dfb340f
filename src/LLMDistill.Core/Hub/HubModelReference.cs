using System.Diagnostics.CodeAnalysis;

namespace LLMDistill.Hub;

/// <summary>
/// A model given as <c>hf:&lt;repo-id&gt;[@revision]</c>, e.g. <c>hf:HuggingFaceTB/SmolLM2-135M-Instruct@main</c>;
/// the revision is a branch, tag or commit hash and defaults to <c>main</c>.
/// </summary>
/// <param name="RepoId">The repository.</param>
/// <param name="Revision">The branch, tag or commit.</param>
public sealed record HubModelReference(HubRepoId RepoId, string Revision)
{
    /// <summary>The prefix that marks a Hub reference.</summary>
    public const string Prefix = "hf:";

    /// <summary>The revision used when none is given.</summary>
    public const string DefaultRevision = "main";

    /// <summary>True when <paramref name="text"/> starts with <see cref="Prefix"/> (it may still be malformed).</summary>
    /// <param name="text">A model reference from configuration or the command line.</param>
    /// <returns>Whether the text is meant as a Hub reference.</returns>
    public static bool IsHubReference(string? text) => text?.TrimStart().StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>Parses <c>hf:org/name[@revision]</c>; the prefix is optional here.</summary>
    /// <param name="text">The reference.</param>
    /// <returns>The reference.</returns>
    /// <exception cref="FormatException">The repository id or revision is malformed; the message says why.</exception>
    public static HubModelReference Parse(string text)
        => TryParse(text, out var reference, out var error) ? reference : throw new FormatException(error);

    /// <summary>Parses <c>hf:org/name[@revision]</c> without throwing; the prefix is optional here.</summary>
    /// <param name="text">The reference.</param>
    /// <param name="reference">The parsed reference.</param>
    /// <param name="error">Why the text is not a reference.</param>
    /// <returns>True when the text is a valid reference.</returns>
    public static bool TryParse(string? text, [NotNullWhen(true)] out HubModelReference? reference, [NotNullWhen(false)] out string? error)
    {
        reference = null;
        var value = text?.Trim() ?? string.Empty;
        if (IsHubReference(value))
        {
            value = value[Prefix.Length..];
        }

        var at = value.IndexOf('@', StringComparison.Ordinal);
        var revision = at < 0 ? DefaultRevision : value[(at + 1)..];
        if (!HubRepoId.TryParse(at < 0 ? value : value[..at], out var repoId, out error))
        {
            return false;
        }

        if (!HubRevision.IsValid(revision, out error))
        {
            return false;
        }

        reference = new HubModelReference(repoId, revision);
        return true;
    }

    /// <summary>The reference as <c>hf:org/name@revision</c>.</summary>
    /// <returns>The text form.</returns>
    public override string ToString() => $"{Prefix}{RepoId}@{Revision}";
}
