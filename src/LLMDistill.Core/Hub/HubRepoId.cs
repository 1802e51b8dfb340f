using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace LLMDistill.Hub;

/// <summary>
/// A Hugging Face model repository id, <c>name</c> or <c>org/name</c>, validated as <c>huggingface_hub</c> does
/// (letters, digits, <c>_ - .</c>; no <c>--</c> or <c>..</c>; at most 96 characters), so it is safe in URLs and
/// cache folder names.
/// </summary>
public sealed partial record HubRepoId
{
    private const int MaxLength = 96;

    private HubRepoId(string value) => Value = value;

    /// <summary>The id, e.g. <c>HuggingFaceTB/SmolLM2-135M-Instruct</c>.</summary>
    public string Value { get; }

    /// <summary>The repository's folder in the cache: <c>models--org--name</c>.</summary>
    public string CacheFolderName => "models--" + Value.Replace("/", "--", StringComparison.Ordinal);

    /// <summary>Parses a repository id.</summary>
    /// <param name="text">The id, e.g. <c>org/name</c>.</param>
    /// <returns>The id.</returns>
    /// <exception cref="FormatException">The text is not a valid id; the message says why.</exception>
    public static HubRepoId Parse(string text)
        => TryParse(text, out var id, out var error) ? id : throw new FormatException(error);

    /// <summary>Parses a repository id without throwing.</summary>
    /// <param name="text">The id, e.g. <c>org/name</c>.</param>
    /// <param name="id">The parsed id.</param>
    /// <param name="error">Why the text is not an id.</param>
    /// <returns>True when <paramref name="text"/> is a valid id.</returns>
    public static bool TryParse(string? text, [NotNullWhen(true)] out HubRepoId? id, [NotNullWhen(false)] out string? error)
    {
        id = null;
        var value = text?.Trim() ?? string.Empty;
        error = value switch
        {
            "" => "repository id is empty; expected 'org/name'",
            { Length: > MaxLength } => $"repository id '{value}' is longer than {MaxLength} characters",
            _ when !RepoIdPattern().IsMatch(value) =>
                $"repository id '{value}' is not valid: expected 'org/name' made of letters, digits, '_', '-' and '.', not starting or ending with '-' or '.'",
            _ when value.Contains("--", StringComparison.Ordinal) || value.Contains("..", StringComparison.Ordinal) =>
                $"repository id '{value}' may not contain '--' or '..'",
            _ when value.EndsWith(".git", StringComparison.Ordinal) => $"repository id '{value}' may not end with '.git'",
            _ => null,
        };
        if (error is not null)
        {
            return false;
        }

        id = new HubRepoId(value);
        return true;
    }

    /// <summary>The id.</summary>
    /// <returns><see cref="Value"/>.</returns>
    public override string ToString() => Value;

    [GeneratedRegex("^(?:[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?/)?[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?$", RegexOptions.CultureInvariant)]
    private static partial Regex RepoIdPattern();
}
