namespace LLMDistill.Losses;

/// <summary>
/// How a top-k KL treats the teacher probability outside its k stored tokens (an API's <c>top_logprobs</c> or a
/// local teacher's stored top-k).
/// </summary>
public enum SparseMissingMass
{
    /// <summary>
    /// Renormalise the teacher over its k tokens: q = softmax(logprob / τ) over the slots, compared with the
    /// student's full-vocabulary log-probabilities at those tokens, scaled by τ². Equals the dense top-k KL.
    /// </summary>
    Renormalize,

    /// <summary>
    /// Keep the teacher's probabilities p_v as given and put the rest r = 1 − Σp into one "other" bucket, compared
    /// with the student's mass outside the k tokens: Σ_v p_v log(p_v / s_v) + r log(r / (1 − Σ_v s_v)).
    /// This is a true KL between two distributions over k + 1 outcomes. It needs temperature 1, because the
    /// teacher's tail mass at another temperature is unknown.
    /// </summary>
    OtherBucket,
}
