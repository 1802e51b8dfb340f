using System.Diagnostics.CodeAnalysis;

namespace LLMDistill.Hub;

/// <summary>Parses and normalises a Hub base URL (<c>https://huggingface.co</c>, a mirror, or a loopback test server).</summary>
internal static class HubEndpoint
{
    /// <summary>Parses an absolute http(s) URL without query or fragment; the result ends without a slash.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out Uri? endpoint)
    {
        endpoint = null;
        if (string.IsNullOrWhiteSpace(text)
            || !Uri.TryCreate(text.Trim().TrimEnd('/'), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            return false;
        }

        endpoint = uri;
        return true;
    }

    /// <summary>Joins the endpoint with a path of already-escaped segments (keeps a path prefix such as a mirror's).</summary>
    public static Uri Combine(Uri endpoint, string relativePath)
        => new(endpoint.AbsoluteUri.TrimEnd('/') + "/" + relativePath.TrimStart('/'));

    /// <summary>The endpoint as users write it, without a trailing slash.</summary>
    public static string Display(Uri endpoint) => endpoint.AbsoluteUri.TrimEnd('/');

    /// <summary>The URL without query string, for messages (signed CDN URLs carry credentials in the query).</summary>
    public static string Redact(Uri uri) => uri.GetLeftPart(UriPartial.Path);
}
