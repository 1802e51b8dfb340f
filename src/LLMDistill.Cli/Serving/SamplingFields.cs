namespace LLMDistill.Cli.Serving;

/// <summary>The sampling and streaming parameters shared by <c>/v1/chat/completions</c> and <c>/v1/completions</c>.</summary>
internal sealed record SamplingFields(
    double Temperature,
    double TopP,
    int TopK,
    long? Seed,
    IReadOnlyList<string>? Stop,
    IReadOnlyList<int>? StopTokenIds,
    int N,
    bool Stream,
    bool IncludeUsage)
{
    /// <summary>Reads the shared fields with OpenAI's defaults (temperature 1, top_p 1, n 1) and rejects what this server does not implement.</summary>
    public static SamplingFields Read(RequestFields fields)
    {
        fields.Unsupported("presence_penalty", RequestFields.NonZero, "penalties are not implemented");
        fields.Unsupported("frequency_penalty", RequestFields.NonZero, "penalties are not implemented");
        fields.Unsupported("repetition_penalty", v => v.ValueKind != System.Text.Json.JsonValueKind.Number || v.GetDouble() != 1, "penalties are not implemented");
        fields.Unsupported("logit_bias", RequestFields.NonEmpty, "logit biases are not implemented");
        var stream = fields.Bool("stream", false);
        var includeUsage = stream && fields.Get("stream_options") is { ValueKind: System.Text.Json.JsonValueKind.Object } options
            && new RequestFields(options).Bool("include_usage", false);
        var topK = fields.Int("top_k", -1, int.MaxValue) ?? 0;
        return new SamplingFields(
            fields.Number("temperature", 1.0, 0, 2),
            fields.Number("top_p", 1.0, 0, 1, minExclusive: true),
            topK < 0 ? 0 : topK, // vLLM's -1 = off
            fields.Long("seed"),
            fields.Stop(),
            fields.Ints("stop_token_ids"),
            fields.Int("n", 1, Teachers.LocalModel.MaxChoices) ?? 1,
            stream,
            includeUsage);
    }
}
