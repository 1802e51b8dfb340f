using System.Globalization;
using System.Text;
using LLMDistill.Inference;
using LLMDistill.Tokenization;

namespace LLMDistill.Teachers;

/// <summary>
/// Turns token ids and model log-probabilities into the API's token records: the token's text (its UTF-8 decoding,
/// or <c>bytes:\xe2\x80</c> when it is only part of a character, as OpenAI writes such tokens), its exact bytes, and
/// its id. Special tokens show their text (e.g. <c>&lt;|eos|&gt;</c>).
/// </summary>
internal sealed class TokenDescriber(ModelTokenizer tokenizer)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The token's display text and bytes.</summary>
    public (string Text, byte[] Bytes) Describe(int id)
    {
        var bytes = tokenizer.TokenBytes(id);
        return (Display(bytes), bytes);
    }

    /// <summary>A generated or scored token with its alternatives; a missing logprob becomes NaN (the first token of a scored sequence).</summary>
    public TokenLogprob Describe(GeneratedToken token)
    {
        var (text, bytes) = Describe(token.Id);
        var top = token.TopLogprobs is null ? [] : token.TopLogprobs.Select(Describe).ToArray();
        return new TokenLogprob(text, bytes, token.Logprob ?? double.NaN, top, token.Id);
    }

    /// <summary>One alternative.</summary>
    public TopLogprob Describe(TokenIdLogprob alternative)
    {
        var (text, bytes) = Describe(alternative.Id);
        return new TopLogprob(text, bytes, alternative.Logprob, alternative.Id);
    }

    /// <summary>The text of a token's bytes; bytes that are not whole UTF-8 characters are written <c>bytes:\xNN...</c>.</summary>
    public static string Display(byte[] bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            var text = new StringBuilder("bytes:", 6 + (4 * bytes.Length));
            foreach (var b in bytes)
            {
                text.Append("\\x").Append(b.ToString("x2", CultureInfo.InvariantCulture));
            }

            return text.ToString();
        }
    }
}
