namespace LLMDistill.Model;

/// <summary>
/// Rotary-embedding frequency scaling, as Hugging Face configs write it in <c>rope_scaling</c> or
/// <c>rope_parameters</c>. Supported: <c>linear</c> (position interpolation) and <c>llama3</c> (Llama 3.1/3.2).
/// </summary>
/// <param name="Type">The <c>rope_type</c>: <c>linear</c> or <c>llama3</c>.</param>
/// <param name="Factor">Scaling factor (&gt; 0).</param>
/// <param name="LowFreqFactor">llama3 only: wavelengths above <c>original / low_freq_factor</c> are fully scaled.</param>
/// <param name="HighFreqFactor">llama3 only: wavelengths below <c>original / high_freq_factor</c> are left alone.</param>
/// <param name="OriginalMaxPositionEmbeddings">llama3 only: the context length the model was pre-trained with.</param>
public sealed record RopeScaling(
    string Type,
    double Factor,
    double LowFreqFactor = 1.0,
    double HighFreqFactor = 4.0,
    int OriginalMaxPositionEmbeddings = 8192)
{
    /// <summary>The <c>linear</c> rope type.</summary>
    public const string Linear = "linear";

    /// <summary>The <c>llama3</c> rope type.</summary>
    public const string Llama3 = "llama3";

    /// <summary>
    /// Applies the scaling to the default inverse frequencies <c>1 / theta^(2i/d)</c>, exactly as
    /// transformers' <c>_compute_llama3_parameters</c> / <c>_compute_linear_scaling_rope_parameters</c> do.
    /// </summary>
    /// <param name="invFreq">Unscaled inverse frequencies, one per rotated pair.</param>
    /// <returns>The scaled inverse frequencies (a new array).</returns>
    public double[] Apply(IReadOnlyList<double> invFreq)
    {
        ArgumentNullException.ThrowIfNull(invFreq);
        var result = new double[invFreq.Count];
        if (Type == Linear)
        {
            for (var i = 0; i < result.Length; i++)
            {
                result[i] = invFreq[i] / Factor;
            }

            return result;
        }

        var lowFreqWavelen = OriginalMaxPositionEmbeddings / LowFreqFactor;
        var highFreqWavelen = OriginalMaxPositionEmbeddings / HighFreqFactor;
        for (var i = 0; i < result.Length; i++)
        {
            var freq = invFreq[i];
            var wavelen = 2 * Math.PI / freq;
            if (wavelen < highFreqWavelen)
            {
                result[i] = freq; // high frequencies carry local order: keep them
            }
            else if (wavelen > lowFreqWavelen)
            {
                result[i] = freq / Factor; // low frequencies are interpolated like linear scaling
            }
            else
            {
                var smooth = ((OriginalMaxPositionEmbeddings / wavelen) - LowFreqFactor) / (HighFreqFactor - LowFreqFactor);
                result[i] = ((1 - smooth) * freq / Factor) + (smooth * freq);
            }
        }

        return result;
    }

    /// <summary>Checks the parameters; messages name the field and the value.</summary>
    /// <exception cref="ArgumentException">A parameter is out of range or the type is unknown.</exception>
    public void Validate()
    {
        if (Type is not (Linear or Llama3))
        {
            throw new ArgumentException($"rope_scaling type '{Type}' is not supported (supported: linear, llama3)");
        }

        if (!(Factor > 0) || double.IsInfinity(Factor))
        {
            throw new ArgumentException($"rope_scaling factor must be > 0 (got {Factor})");
        }

        if (Type == Llama3)
        {
            if (!(LowFreqFactor > 0) || !(HighFreqFactor > LowFreqFactor))
            {
                throw new ArgumentException($"rope_scaling needs 0 < low_freq_factor < high_freq_factor (got {LowFreqFactor} and {HighFreqFactor})");
            }

            if (OriginalMaxPositionEmbeddings <= 0)
            {
                throw new ArgumentException($"rope_scaling original_max_position_embeddings must be > 0 (got {OriginalMaxPositionEmbeddings})");
            }
        }
    }
}
