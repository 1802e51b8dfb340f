using LLMDistill.Evaluation.TeacherForced;
using LLMDistill.Evaluation.TokenMetrics;
using LLMDistill.Model;
using static TorchSharp.torch;

namespace LLMDistill.Tests.Evaluation.TeacherForced;

/// <summary>
/// The reference computation of the token-level metrics: each sequence alone through a full forward pass, logits to
/// the host, log-softmax and comparison in double precision with <see cref="DistributionComparison"/>.
/// </summary>
internal static class DirectComputation
{
    public static (TokenAgreementMetrics Agreement, PerplexityMetrics ReferencePerplexity, PerplexityMetrics ComparedPerplexity, CalibrationMetrics ComparedCalibration)
        Compute(LlamaForCausalLM reference, LlamaForCausalLM compared, IReadOnlyList<TokenizedSequence> sequences, TokenMetricsOptions options)
    {
        var agreement = new TokenAgreementAccumulator("P", "Q", options);
        var pplP = new PerplexityAccumulator("P");
        var pplQ = new PerplexityAccumulator("Q");
        var calibration = new CalibrationAccumulator("Q", options.CalibrationBins);
        foreach (var s in sequences)
        {
            var logitsP = Logits(reference, s.Ids);
            var logitsQ = Logits(compared, s.Ids);
            var vocab = reference.Config.VocabSize;
            for (var t = s.PromptLength - 1; t < s.Ids.Count - 1; t++)
            {
                var lp = DistributionComparison.LogSoftmax(logitsP.AsSpan(t * vocab, vocab));
                var lq = DistributionComparison.LogSoftmax(logitsQ.AsSpan(t * vocab, vocab));
                agreement.Add(DistributionComparison.Compare(lp, lq, options.TopK, t - s.PromptLength + 1, s.ResponseLength));
                var label = s.Ids[t + 1];
                pplP.Add(-lp[label], 1);
                pplQ.Add(-lq[label], 1);
                var top = Array.IndexOf(lq, lq.Max());
                calibration.Add(Math.Exp(lq[top]), top == label);
            }
        }

        return (agreement.ToMetrics(), pplP.ToMetrics(), pplQ.ToMetrics(), calibration.ToMetrics());
    }

    private static float[] Logits(LlamaForCausalLM model, IReadOnlyList<int> ids)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var input = tensor(ids.Select(i => (long)i).ToArray(), [1, ids.Count]);
        return model.forward(new CausalLmInput(input)).Logits!.to_type(ScalarType.Float32).contiguous().data<float>().ToArray(); // (1, T, V) flat
    }
}
