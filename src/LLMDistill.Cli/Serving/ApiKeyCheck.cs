using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace LLMDistill.Cli.Serving;

/// <summary>
/// Requires <c>Authorization: Bearer &lt;key&gt;</c> on the API when a key is set. Keys are compared as SHA-256 hashes with
/// <see cref="CryptographicOperations.FixedTimeEquals"/>, so neither the key's content nor its length leaks through timing.
/// The key is never logged or echoed.
/// </summary>
internal sealed class ApiKeyCheck(string? apiKey)
{
    private readonly byte[]? _expected = string.IsNullOrEmpty(apiKey) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(apiKey));

    public bool Enabled => _expected is not null;

    /// <summary>Null when the request may proceed, else the 401 to answer.</summary>
    public OpenAiError? Check(HttpRequest request)
    {
        if (_expected is null)
        {
            return null;
        }

        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return OpenAiError.Unauthorized("Missing API key: send it as 'Authorization: Bearer <key>'.");
        }

        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(presented, _expected) ? null : OpenAiError.Unauthorized("Incorrect API key provided.");
    }
}
