namespace LLMDistill.Teachers;

/// <summary>Removes known secrets from text a server sent back (OpenAI echoes a wrong key in its 401 message).</summary>
internal sealed class SecretScrubber
{
    private const string Mask = "***";
    private readonly string[] _secrets;

    /// <summary>Creates a scrubber for the given secrets; empty and very short values are ignored.</summary>
    public SecretScrubber(params string?[] secrets)
        => _secrets = secrets.Where(s => s is { Length: >= 4 }).Select(s => s!).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>A scrubber that knows no secrets.</summary>
    public static SecretScrubber None { get; } = new();

    /// <summary>Returns <paramref name="text"/> with every secret replaced by <c>***</c>.</summary>
    public string Scrub(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        return text;
    }
}
