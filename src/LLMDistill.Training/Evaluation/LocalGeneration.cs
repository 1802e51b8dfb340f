using LLMDistill.Evaluation.Datasets;
using LLMDistill.Inference;

namespace LLMDistill.Evaluation;

/// <summary>Greedy free generation of a local model over the generation samples with the batched generator.</summary>
internal static class LocalGeneration
{
    /// <summary>Generates one answer per sample; the stop token is dropped and special tokens are not decoded.</summary>
    public static AnswerSet Generate(EvaluatedModel model, IReadOnlyList<EvalSample> samples, EvaluationSettings settings, Action<int, int>? progress, CancellationToken cancellationToken)
    {
        var eval = settings.Eval;
        var sampling = DecodingParameters.Greedy(eval.MaxNewTokens);
        var requests = samples
            .Select(s => new GenerationRequest(EvalSequences.Prompt(model.Tokenizer, s, eval, model.Name), sampling))
            .ToArray();
        var generator = new TokenGenerator(model.Model, model.StopIds, settings.Inference.MaxBatchSize);
        var finished = 0;
        var results = generator.Generate(
            requests,
            step =>
            {
                if (step.FinishReason is not null)
                {
                    progress?.Invoke(++finished, requests.Length);
                }
            },
            cancellationToken);
        var texts = new string[results.Count];
        var counts = new int[results.Count];
        for (var i = 0; i < results.Count; i++)
        {
            var ids = results[i].TokenIds;
            if (results[i].FinishReason == FinishReason.Stop)
            {
                ids = ids.Take(ids.Count - 1).ToArray();
            }

            texts[i] = model.Tokenizer.Decode(ids, skipSpecialTokens: true);
            counts[i] = ids.Count;
        }

        return new AnswerSet(model.Name, texts, counts);
    }
}
