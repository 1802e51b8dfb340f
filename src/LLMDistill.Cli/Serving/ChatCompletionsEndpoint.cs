using System.Text.Json;
using LLMDistill.Teachers;
using Microsoft.AspNetCore.Http;

namespace LLMDistill.Cli.Serving;

/// <summary><c>POST /v1/chat/completions</c>: the conversation rendered with the model's chat template (Plain when it has none).</summary>
internal sealed class ChatCompletionsEndpoint(ServeContext serve)
{
    public async Task<RequestSummary> HandleAsync(HttpContext http, CancellationToken cancellationToken)
    {
        using var body = await ServeContext.ReadBodyAsync(http, cancellationToken);
        var request = ChatRequest.Parse(body.RootElement, serve.MaxTopLogprobs);
        serve.CheckModel(request.Model);
        IReadOnlyList<int> prompt;
        try
        {
            prompt = serve.Model.EncodeChat(request.Messages);
        }
        catch (NotSupportedException ex)
        {
            throw OpenAiError.Invalid($"{ex.Message}; start the server with --chat-template chatml|llama3|plain", "messages");
        }
        catch (ArgumentException ex)
        {
            throw OpenAiError.Invalid(ex.Message, "messages");
        }

        var s = request.Sampling;
        // Without max_tokens a chat answer may use the rest of the context, as OpenAI and vLLM do.
        var maxTokens = request.MaxTokens ?? Math.Max(1, serve.Model.ContextLength - prompt.Count);
        var local = new LocalCompletionRequest(prompt, maxTokens, s.Temperature, s.TopP, s.TopK, s.Seed, s.Stop, s.StopTokenIds, s.N, request.Logprobs, request.TopLogprobs);
        serve.Model.Validate(local);
        var id = ServeContext.NewId("chatcmpl-");
        var created = serve.Created();
        if (!s.Stream)
        {
            var completion = await serve.Model.CompleteAsync(local, cancellationToken);
            http.Response.ContentType = "application/json";
            await using (var writer = new Utf8JsonWriter(http.Response.Body, ServeContext.Json))
            {
                WriteCompletion(writer, id, created, completion, request.Logprobs);
            }

            return new RequestSummary(completion.PromptTokens, completion.CompletionTokens);
        }

        var events = new ServerSentEvents(http.Response);
        var completionTokens = 0;
        try
        {
            for (var i = 0; i < s.N; i++)
            {
                var index = i;
                await events.WriteAsync(w => WriteChunk(w, id, created, s.IncludeUsage, index, "", role: true, null, null), cancellationToken);
            }

            await foreach (var delta in serve.Model.StreamAsync(local, cancellationToken))
            {
                if (delta.Text.Length > 0 || delta.Logprobs.Count > 0)
                {
                    await events.WriteAsync(w => WriteChunk(w, id, created, s.IncludeUsage, delta.Choice, delta.Text, role: false, request.Logprobs ? delta.Logprobs : null, null), cancellationToken);
                }

                if (delta.FinishReason is { } finish)
                {
                    completionTokens += delta.CompletionTokens ?? 0;
                    await events.WriteAsync(w => WriteChunk(w, id, created, s.IncludeUsage, delta.Choice, null, role: false, null, finish), cancellationToken);
                }
            }

            if (s.IncludeUsage)
            {
                await events.WriteAsync(w => WriteUsageChunk(w, id, created, prompt.Count, completionTokens), cancellationToken);
            }

            await events.DoneAsync(cancellationToken);
        }
        catch (Exception ex) when (events.Started && ex is not OperationCanceledException)
        {
            throw new StreamFailure(events, ex);
        }

        return new RequestSummary(prompt.Count, completionTokens, Streamed: true);
    }

    private void WriteCompletion(Utf8JsonWriter writer, string id, long created, LocalCompletion completion, bool logprobs)
    {
        writer.WriteStartObject();
        WriteHeader(writer, id, "chat.completion", created);
        writer.WriteStartArray("choices");
        foreach (var choice in completion.Choices)
        {
            writer.WriteStartObject();
            writer.WriteNumber("index", choice.Index);
            writer.WriteStartObject("message");
            writer.WriteString("role", "assistant");
            writer.WriteString("content", choice.Text);
            writer.WriteNull("refusal");
            writer.WriteEndObject();
            writer.WritePropertyName("logprobs");
            if (logprobs)
            {
                LogprobsJson.WriteChat(writer, choice.Logprobs ?? []);
            }
            else
            {
                writer.WriteNullValue();
            }

            writer.WriteString("finish_reason", choice.FinishReason);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        UsageJson.Write(writer, completion.PromptTokens, completion.CompletionTokens);
        writer.WriteEndObject();
    }

    /// <summary>A chunk of one choice: the role (first chunk), a piece of content with its logprobs, or the finish reason (empty delta).</summary>
    private void WriteChunk(Utf8JsonWriter writer, string id, long created, bool includeUsage, int index, string? content, bool role, IReadOnlyList<TokenLogprob>? logprobs, string? finishReason)
    {
        writer.WriteStartObject();
        WriteHeader(writer, id, "chat.completion.chunk", created);
        writer.WriteStartArray("choices");
        writer.WriteStartObject();
        writer.WriteNumber("index", index);
        writer.WriteStartObject("delta");
        if (role)
        {
            writer.WriteString("role", "assistant");
        }

        if (content is not null)
        {
            writer.WriteString("content", content);
        }

        writer.WriteEndObject();
        writer.WritePropertyName("logprobs");
        if (logprobs is not null)
        {
            LogprobsJson.WriteChat(writer, logprobs);
        }
        else
        {
            writer.WriteNullValue();
        }

        writer.WriteString("finish_reason", finishReason);
        writer.WriteEndObject();
        writer.WriteEndArray();
        if (includeUsage)
        {
            writer.WriteNull("usage"); // with stream_options.include_usage, only the last chunk carries usage
        }

        writer.WriteEndObject();
    }

    private void WriteUsageChunk(Utf8JsonWriter writer, string id, long created, int promptTokens, int completionTokens)
    {
        writer.WriteStartObject();
        WriteHeader(writer, id, "chat.completion.chunk", created);
        writer.WriteStartArray("choices");
        writer.WriteEndArray();
        UsageJson.Write(writer, promptTokens, completionTokens);
        writer.WriteEndObject();
    }

    private void WriteHeader(Utf8JsonWriter writer, string id, string kind, long created)
    {
        writer.WriteString("id", id);
        writer.WriteString("object", kind);
        writer.WriteNumber("created", created);
        writer.WriteString("model", serve.Model.Name);
        writer.WriteString("system_fingerprint", serve.SystemFingerprint);
    }
}
