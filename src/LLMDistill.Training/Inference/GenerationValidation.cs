namespace LLMDistill.Inference;

/// <summary>Checks generation and scoring inputs before they reach the decoding thread; messages name the request.</summary>
internal static class GenerationValidation
{
    /// <exception cref="ArgumentException">A null or empty prompt, an id outside the vocabulary, or invalid sampling parameters.</exception>
    public static void Validate(IReadOnlyList<GenerationRequest> requests, int vocabSize)
    {
        for (var i = 0; i < requests.Count; i++)
        {
            var request = requests[i] ?? throw new ArgumentException($"request {i} is null");
            ValidateIds(request.PromptIds, vocabSize, $"request {i}");
            try
            {
                (request.Sampling ?? throw new ArgumentException("sampling parameters are null")).Validate();
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"request {i}: {ex.Message}", ex);
            }
        }
    }

    /// <exception cref="ArgumentException">An empty sequence or an id outside [0, vocabSize).</exception>
    public static void ValidateIds(IReadOnlyList<int>? ids, int vocabSize, string what)
    {
        if (ids is null || ids.Count == 0)
        {
            throw new ArgumentException($"{what}: the prompt is empty");
        }

        for (var p = 0; p < ids.Count; p++)
        {
            if (ids[p] < 0 || ids[p] >= vocabSize)
            {
                throw new ArgumentException($"{what}: prompt id {ids[p]} at position {p} is outside the vocabulary [0, {vocabSize})");
            }
        }
    }
}
