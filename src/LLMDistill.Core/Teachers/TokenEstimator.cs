using System.Text;

namespace LLMDistill.Teachers;

/// <summary>
/// Rough token counts for rate limiting before a call and for servers that report no usage: about four UTF-8 bytes
/// per token, the usual figure for BPE vocabularies on English text. Exact counts come from the response.
/// </summary>
internal static class TokenEstimator
{
    private const int BytesPerToken = 4;
    private const int PerMessageOverhead = 4; // role and separators of a chat template

    /// <summary>Estimated tokens of <paramref name="text"/>.</summary>
    public static int Estimate(string? text)
        => string.IsNullOrEmpty(text) ? 0 : Math.Max(1, (Encoding.UTF8.GetByteCount(text) + BytesPerToken - 1) / BytesPerToken);

    /// <summary>Estimated prompt tokens of a request.</summary>
    public static int PromptTokens(TeacherRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Messages is { } messages
            ? messages.Sum(m => Estimate(m.Content) + PerMessageOverhead)
            : Estimate(request.Prompt);
    }

    /// <summary>Estimated prompt plus the most completion tokens a request can cost, for the tokens-per-minute limit.</summary>
    public static int RequestTokens(TeacherRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var total = (long)PromptTokens(request) + ((long)request.Sampling.MaxTokens * Math.Max(1, request.N));
        return (int)Math.Min(total, int.MaxValue);
    }
}
