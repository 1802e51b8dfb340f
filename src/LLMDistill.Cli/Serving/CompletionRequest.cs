using System.Text.Json;

namespace LLMDistill.Cli.Serving;

/// <summary>A parsed <c>/v1/completions</c> request.</summary>
/// <param name="Model">The model asked for.</param>
/// <param name="Prompts">One or more prompts: text, or token ids.</param>
/// <param name="MaxTokens">Tokens to generate per choice (OpenAI's default 16); 0 only with echo (scoring).</param>
/// <param name="Logprobs">Legacy <c>logprobs</c>: null = none, k = token logprobs plus k alternatives.</param>
/// <param name="Echo">Return the prompt (and its logprobs) before the completion.</param>
/// <param name="Sampling">Shared sampling fields.</param>
internal sealed record CompletionRequest(string Model, IReadOnlyList<PromptInput> Prompts, int MaxTokens, int? Logprobs, bool Echo, SamplingFields Sampling)
{
    /// <summary>OpenAI's default <c>max_tokens</c> for completions.</summary>
    public const int DefaultMaxTokens = 16;

    public static CompletionRequest Parse(JsonElement root, int maxTopLogprobs)
    {
        var fields = new RequestFields(root);
        fields.Unsupported("suffix", RequestFields.NonEmpty, "insertion is not implemented");
        var model = fields.RequireString("model");
        var prompts = ReadPrompts(fields.Get("prompt") ?? throw OpenAiError.Invalid("'prompt' is required", "prompt"));
        var echo = fields.Bool("echo", false);
        var maxTokens = fields.Int("max_tokens", 0, int.MaxValue) ?? DefaultMaxTokens;
        if (maxTokens == 0 && !echo)
        {
            throw OpenAiError.Invalid("'max_tokens' must be at least 1 (0 is allowed only with 'echo', to score the prompt)", "max_tokens");
        }

        var sampling = SamplingFields.Read(fields);
        if (fields.Int("best_of", 1, Teachers.LocalModel.MaxChoices) is { } bestOf && bestOf != sampling.N)
        {
            throw OpenAiError.Invalid("'best_of' is not supported by this server unless it equals 'n'", "best_of");
        }

        return new CompletionRequest(model, prompts, maxTokens, fields.Int("logprobs", 0, maxTopLogprobs), echo, sampling);
    }

    /// <summary><c>prompt</c>: a string, a list of strings, a list of token ids, or a list of lists of token ids.</summary>
    private static List<PromptInput> ReadPrompts(JsonElement prompt)
    {
        const string name = "prompt";
        if (prompt.ValueKind == JsonValueKind.String)
        {
            return [new PromptInput(prompt.GetString(), null)];
        }

        if (prompt.ValueKind != JsonValueKind.Array || prompt.GetArrayLength() == 0)
        {
            throw OpenAiError.Invalid("'prompt' must be a string, a non-empty list of strings, or token ids", name);
        }

        var items = prompt.EnumerateArray().ToArray();
        if (items.All(i => i.ValueKind == JsonValueKind.Number))
        {
            return [new PromptInput(null, Ids(prompt))];
        }

        return items.Select(item => item.ValueKind switch
        {
            JsonValueKind.String => new PromptInput(item.GetString(), null),
            JsonValueKind.Array => new PromptInput(null, Ids(item)),
            _ => throw OpenAiError.Invalid("'prompt' must be a string, a list of strings, or token ids", name),
        }).ToList();

        static int[] Ids(JsonElement list) => list.EnumerateArray()
            .Select(e => e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var id) ? id : throw OpenAiError.Invalid("token ids in 'prompt' must be integers", name))
            .ToArray();
    }
}
