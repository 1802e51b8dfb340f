namespace LLMDistill.Inference;

/// <summary>
/// How one row is decoded (token ids in, token ids out). Every row of a batch has its own, and its output does not
/// depend on the other rows. The API-level request settings are <see cref="Teachers.SamplingParameters"/>.
/// </summary>
/// <param name="MaxNewTokens">Most tokens to generate (&gt;= 1).</param>
/// <param name="Temperature">0 = greedy (argmax); otherwise logits are divided by it before sampling.</param>
/// <param name="TopK">Keep the k most likely tokens (0 = off). Applied before top-p, as transformers does.</param>
/// <param name="TopP">Keep the smallest set of most likely tokens whose probability reaches p (1 = off).</param>
/// <param name="Seed">Seed of this row's random stream; null draws one. Same seed + same prompt = same output.</param>
/// <param name="StopTokenIds">Ids that end the row (kept as its last token); null = the generator's defaults (EOS ids), empty = none.</param>
/// <param name="Logprobs">Return the log-probability of each chosen token.</param>
/// <param name="TopLogprobs">Also return this many most likely alternatives per step (implies <paramref name="Logprobs"/>).</param>
public sealed record DecodingParameters(
    int MaxNewTokens = 128,
    double Temperature = 0,
    int TopK = 0,
    double TopP = 1.0,
    long? Seed = null,
    IReadOnlyList<int>? StopTokenIds = null,
    bool Logprobs = false,
    int TopLogprobs = 0)
{
    /// <summary>Greedy decoding of up to <paramref name="maxNewTokens"/> tokens.</summary>
    public static DecodingParameters Greedy(int maxNewTokens) => new(MaxNewTokens: maxNewTokens);

    /// <summary>Whether this row samples (temperature &gt; 0) rather than taking the argmax.</summary>
    public bool IsSampling => Temperature > 0;

    /// <summary>Whether log-probabilities are returned.</summary>
    public bool WantsLogprobs => Logprobs || TopLogprobs > 0;

    /// <summary>Checks the ranges; messages name the parameter and value.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void Validate()
    {
        if (MaxNewTokens < 1)
        {
            throw new ArgumentException($"max new tokens must be >= 1 (got {MaxNewTokens})");
        }

        if (!(Temperature >= 0) || double.IsInfinity(Temperature))
        {
            throw new ArgumentException($"temperature must be >= 0 (got {Temperature})");
        }

        if (TopK < 0)
        {
            throw new ArgumentException($"top-k must be >= 0 (got {TopK})");
        }

        if (!(TopP > 0 && TopP <= 1))
        {
            throw new ArgumentException($"top-p must be in (0, 1] (got {TopP})");
        }

        if (TopLogprobs < 0)
        {
            throw new ArgumentException($"top logprobs must be >= 0 (got {TopLogprobs})");
        }
    }
}
