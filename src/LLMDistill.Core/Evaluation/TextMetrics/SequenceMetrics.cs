using LLMDistill.Text;

namespace LLMDistill.Evaluation.TextMetrics;

/// <summary>
/// Sequence-level metrics of one model's free generations against a reference model's answers to the same prompts
/// (usually the student against its teacher).
/// </summary>
/// <param name="Model">The evaluated model (e.g. "student").</param>
/// <param name="ReferenceModel">Whose answers are the references (e.g. the teacher's name).</param>
/// <param name="Samples">Number of prompt/answer pairs.</param>
/// <param name="ExactMatch">Fraction of outputs identical to the reference after trimming, in [0, 1].</param>
/// <param name="NormalizedExactMatch">Fraction identical after case, punctuation and whitespace normalisation.</param>
/// <param name="RougeL">Mean ROUGE-L F-measure (rouge_score's, no stemming), in [0, 1].</param>
/// <param name="Bleu">Corpus BLEU, sacreBLEU-compatible, in [0, 100].</param>
/// <param name="SentenceBleu">Mean sentence BLEU (exp smoothing, effective order), in [0, 100].</param>
/// <param name="ChrF">Corpus chrF2, in [0, 100].</param>
/// <param name="ChrFPlusPlus">Corpus chrF++ (word order 2), in [0, 100].</param>
/// <param name="BleuSignature">sacreBLEU's signature of the BLEU settings, for reproducibility.</param>
/// <param name="Outputs">Diversity and length of the model's outputs.</param>
/// <param name="ReferenceOutputs">The same for the references, as the yardstick.</param>
public sealed record SequenceMetrics(
    string Model,
    string ReferenceModel,
    int Samples,
    double ExactMatch,
    double NormalizedExactMatch,
    double RougeL,
    double Bleu,
    double SentenceBleu,
    double ChrF,
    double ChrFPlusPlus,
    string BleuSignature,
    DiversityMetrics Outputs,
    DiversityMetrics ReferenceOutputs)
{
    /// <summary>Computes every sequence-level metric of <paramref name="outputs"/> against <paramref name="references"/>.</summary>
    /// <param name="model">The evaluated model's name.</param>
    /// <param name="referenceModel">The reference model's name.</param>
    /// <param name="outputs">The model's answers.</param>
    /// <param name="references">The reference answers, one per output.</param>
    /// <param name="outputTokenCounts">Optional model-token counts of the outputs.</param>
    /// <param name="referenceTokenCounts">Optional model-token counts of the references.</param>
    /// <returns>The metrics.</returns>
    /// <exception cref="ArgumentException">The lists differ in length.</exception>
    public static SequenceMetrics Compute(
        string model,
        string referenceModel,
        IReadOnlyList<string> outputs,
        IReadOnlyList<string> references,
        IReadOnlyList<int>? outputTokenCounts = null,
        IReadOnlyList<int>? referenceTokenCounts = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(referenceModel);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(references);
        if (outputs.Count != references.Count)
        {
            throw new ArgumentException($"{outputs.Count} outputs but {references.Count} references", nameof(references));
        }

        IReadOnlyList<IReadOnlyList<string>> referenceStreams = [references];
        var sentenceBleu = outputs.Count == 0 ? 0
            : outputs.Select((o, i) => TextMetrics.Bleu.SentenceScore(o, [references[i]]).Score).Average();
        return new SequenceMetrics(
            model,
            referenceModel,
            outputs.Count,
            TextMetrics.ExactMatch.Rate(outputs, references),
            TextMetrics.ExactMatch.NormalizedRate(outputs, references),
            outputs.Count == 0 ? 0 : outputs.Select((o, i) => Text.RougeL.FMeasure(references[i], o)).Average(),
            TextMetrics.Bleu.CorpusScore(outputs, referenceStreams).Score,
            sentenceBleu,
            TextMetrics.ChrF.CorpusScore(outputs, referenceStreams, ChrFSettings.ChrF),
            TextMetrics.ChrF.CorpusScore(outputs, referenceStreams, ChrFSettings.ChrFPlusPlus),
            BleuSettings.Corpus.Signature,
            DiversityMetrics.Compute(outputs, outputTokenCounts),
            DiversityMetrics.Compute(references, referenceTokenCounts));
    }
}
