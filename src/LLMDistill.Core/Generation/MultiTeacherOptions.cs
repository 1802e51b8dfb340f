using System.ComponentModel.DataAnnotations;

namespace LLMDistill.Generation;

/// <summary><c>Generate:MultiTeacher</c>: how several teachers' answers to one task become one sample.</summary>
public sealed class MultiTeacherOptions
{
    /// <summary>Which answer becomes the sample; the others are kept in <c>Alternatives</c>.</summary>
    /// <value>Best.</value>
    public MultiTeacherStrategy Strategy { get; set; } = MultiTeacherStrategy.Best;

    /// <summary>Consensus applies to answers up to this many characters; longer answers fall back to Best.</summary>
    /// <value>80.</value>
    [Range(1, 100_000)]
    public int ShortAnswerMaxChars { get; set; } = 80;

    /// <summary>Share of teachers that must agree for a consensus (more than this fraction); otherwise <c>multi:no-consensus</c>.</summary>
    /// <value>0.5.</value>
    [Range(0.0, 0.99)]
    public double MinAgreement { get; set; } = 0.5;

    /// <summary>Replace the sample's logprobs by a weighted mixture of every answer teacher's top-k distribution over the chosen answer (teachers must share a tokenizer and be scoring teachers).</summary>
    /// <value>false.</value>
    public bool Mixture { get; set; }

    /// <summary>Teacher name → mixture weight (normalised); teachers not listed weigh 1.</summary>
    public IDictionary<string, double> MixtureWeights { get; } = new Dictionary<string, double>(StringComparer.Ordinal);

    /// <summary>Alternatives kept per position in the mixture.</summary>
    /// <value>20.</value>
    [Range(1, 1000)]
    public int MixtureTopK { get; set; } = 20;
}
