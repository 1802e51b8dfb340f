namespace LLMDistill.Evaluation.TokenMetrics;

/// <summary>
/// Accumulates summed negative log-likelihoods and token counts (per batch or per sequence) into a corpus perplexity:
/// exp(Σ NLL / Σ tokens), the token-weighted definition, not a mean of per-sequence perplexities.
/// </summary>
public sealed class PerplexityAccumulator
{
    private double _nll;
    private double _compensation;
    private long _tokens;

    /// <summary>Creates an empty accumulator.</summary>
    /// <param name="model">The model's name.</param>
    public PerplexityAccumulator(string model)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        Model = model;
    }

    /// <summary>The model's name.</summary>
    public string Model { get; }

    /// <summary>Adds the summed NLL (nats) of a group of tokens.</summary>
    /// <param name="sumNll">Σ −log p(token) over the group, in nats.</param>
    /// <param name="tokens">Tokens in the group.</param>
    /// <exception cref="ArgumentOutOfRangeException">A negative or non-finite NLL, or a negative token count.</exception>
    public void Add(double sumNll, long tokens)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tokens);
        if (!double.IsFinite(sumNll) || sumNll < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sumNll), $"summed NLL must be finite and non-negative (got {sumNll})");
        }

        // Kahan summation: millions of small terms keep full precision.
        var y = sumNll - _compensation;
        var t = _nll + y;
        _compensation = (t - _nll) - y;
        _nll = t;
        _tokens += tokens;
    }

    /// <summary>Adds another accumulator's totals.</summary>
    public void Merge(PerplexityAccumulator other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Add(other._nll, other._tokens);
    }

    /// <summary>The perplexity so far; NaN-free: zero tokens give perplexity 1 and NLL 0.</summary>
    public PerplexityMetrics ToMetrics()
    {
        var mean = _tokens == 0 ? 0 : _nll / _tokens;
        return new PerplexityMetrics(Model, _tokens, mean, Math.Exp(mean), mean / Math.Log(2));
    }
}
