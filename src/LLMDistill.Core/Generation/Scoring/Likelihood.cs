using LLMDistill.Teachers;

namespace LLMDistill.Generation.Scoring;

/// <summary>Likelihood signals of teaching value from per-token logprobs.</summary>
public static class Likelihood
{
    /// <summary>Perplexity exp(−mean log p) of the scored tokens; null when there are none.</summary>
    public static double? Perplexity(IReadOnlyList<TokenLogprob>? tokens)
    {
        if (tokens is null || tokens.Count == 0)
        {
            return null;
        }

        var sum = 0.0;
        foreach (var token in tokens)
        {
            sum += token.Logprob;
        }

        return Math.Exp(-sum / tokens.Count);
    }

    /// <summary>
    /// Instruction-Following Difficulty (Li et al. 2023, "From Quantity to Quality", Eq. 4):
    /// IFD = PPL(answer | instruction) / PPL(answer). Near 1 the instruction hardly helps (hard or unrelated);
    /// above 1 it hurts (the pair is inconsistent).
    /// </summary>
    public static double? Ifd(double? conditional, double? unconditional)
        => conditional is { } c && unconditional is { } u && u > 0 ? c / u : null;

    /// <summary>Perplexity as a [0, 1] score: 1 at perplexity 1, 0 at <paramref name="maxPerplexity"/> and above, log-linear between.</summary>
    public static double PerplexityScore(double perplexity, double maxPerplexity)
        => Math.Clamp(1 - (Math.Log(Math.Max(perplexity, 1)) / Math.Log(maxPerplexity)), 0, 1);

    /// <summary>IFD as a [0, 1] score: the IFD itself below 1 (harder but still helped by the instruction scores higher), 0 from 1 up.</summary>
    public static double IfdScore(double ifd) => ifd is > 0 and < 1 ? ifd : 0;
}
