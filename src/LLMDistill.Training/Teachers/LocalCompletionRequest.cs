namespace LLMDistill.Teachers;

/// <summary>A completion request to a <see cref="LocalModel"/>, in token ids (the prompt is already rendered and encoded).</summary>
/// <param name="PromptIds">The prompt (see <see cref="LocalModel.EncodePrompt"/> and <see cref="LocalModel.EncodeChat"/>).</param>
/// <param name="MaxTokens">Most tokens to generate per choice; prompt plus this must fit the context.</param>
/// <param name="Temperature">0 = greedy; otherwise logits are divided by it before sampling.</param>
/// <param name="TopP">Nucleus mass in (0, 1] (1 = off).</param>
/// <param name="TopK">Keep the k most likely tokens (0 = off).</param>
/// <param name="Seed">Seed of choice 0 (choice i uses seed + i); null draws fresh seeds.</param>
/// <param name="Stop">Stop strings: the text ends before the first one generated, which ends the choice.</param>
/// <param name="StopTokenIds">Extra ids that end a choice, besides the model's own (EOS, end of turn).</param>
/// <param name="N">Number of choices.</param>
/// <param name="Logprobs">Return each generated token's log-probability.</param>
/// <param name="TopLogprobs">Also return this many alternatives per position.</param>
public sealed record LocalCompletionRequest(
    IReadOnlyList<int> PromptIds,
    int MaxTokens,
    double Temperature = 1.0,
    double TopP = 1.0,
    int TopK = 0,
    long? Seed = null,
    IReadOnlyList<string>? Stop = null,
    IReadOnlyList<int>? StopTokenIds = null,
    int N = 1,
    bool Logprobs = false,
    int TopLogprobs = 0);
