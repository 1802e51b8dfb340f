using System.Buffers;
using System.Text.Json;

namespace LLMDistill.Teachers.OpenAi;

/// <summary>
/// Writes request bodies for <c>/chat/completions</c> and <c>/completions</c>. The bodies go through the SDK's
/// protocol methods and pipeline, because its typed API has no <c>n</c>, no legacy completions and no <c>echo</c>.
/// </summary>
internal static class OpenAiRequestWriter
{
    /// <summary>A <c>/chat/completions</c> body.</summary>
    /// <param name="request">The chat request.</param>
    /// <param name="model">The model name (Azure ignores it and routes by deployment).</param>
    /// <param name="stream">Whether to ask for server-sent events with usage in the last event.</param>
    /// <param name="structuredOutput">Whether to send <see cref="TeacherRequest.JsonSchema"/> as <c>response_format</c>.</param>
    public static BinaryData Chat(TeacherRequest request, string model, bool stream, bool structuredOutput)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Write(writer =>
        {
            writer.WriteString("model", model);
            writer.WriteStartArray("messages");
            foreach (var turn in request.Messages ?? [])
            {
                writer.WriteStartObject();
                writer.WriteString("role", turn.Role);
                writer.WriteString("content", turn.Content);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            WriteSampling(writer, request);
            if (request.TopLogprobs > 0)
            {
                writer.WriteBoolean("logprobs", true);
                writer.WriteNumber("top_logprobs", request.TopLogprobs);
            }

            if (structuredOutput && request.JsonSchema is { } schema)
            {
                writer.WriteStartObject("response_format");
                writer.WriteString("type", "json_schema");
                writer.WriteStartObject("json_schema");
                writer.WriteString("name", "response");
                writer.WritePropertyName("schema");
                writer.WriteRawValue(schema, skipInputValidation: false);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            WriteStream(writer, stream);
        });
    }

    /// <summary>A <c>/completions</c> body for a raw prompt.</summary>
    public static BinaryData Completion(TeacherRequest request, string model, bool stream)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Write(writer =>
        {
            writer.WriteString("model", model);
            writer.WriteString("prompt", request.Prompt);
            WriteSampling(writer, request);
            if (request.TopLogprobs > 0)
            {
                writer.WriteNumber("logprobs", request.TopLogprobs);
            }

            WriteStream(writer, stream);
        });
    }

    /// <summary>
    /// A <c>/completions</c> body that scores <paramref name="prompt"/>: <c>echo</c> returns the prompt's own token
    /// logprobs. One token is generated (and dropped) because vLLM rejects <c>max_tokens: 0</c>.
    /// </summary>
    public static BinaryData Score(string prompt, string model, int topLogprobs) => Write(writer =>
    {
        writer.WriteString("model", model);
        writer.WriteString("prompt", prompt);
        writer.WriteNumber("max_tokens", 1);
        writer.WriteNumber("temperature", 0);
        writer.WriteBoolean("echo", true);
        writer.WriteNumber("logprobs", topLogprobs);
    });

    private static void WriteSampling(Utf8JsonWriter writer, TeacherRequest request)
    {
        var sampling = request.Sampling;
        writer.WriteNumber("temperature", sampling.Temperature);
        writer.WriteNumber("top_p", sampling.TopP);
        writer.WriteNumber("max_tokens", sampling.MaxTokens);
        if (request.N != 1)
        {
            writer.WriteNumber("n", request.N);
        }

        if (sampling.Seed is { } seed)
        {
            writer.WriteNumber("seed", seed);
        }

        if (sampling.Stop is { Count: > 0 } stop)
        {
            writer.WriteStartArray("stop");
            foreach (var s in stop)
            {
                writer.WriteStringValue(s);
            }

            writer.WriteEndArray();
        }
    }

    private static void WriteStream(Utf8JsonWriter writer, bool stream)
    {
        if (!stream)
        {
            return;
        }

        writer.WriteBoolean("stream", true);
        writer.WriteStartObject("stream_options");
        writer.WriteBoolean("include_usage", true);
        writer.WriteEndObject();
    }

    private static BinaryData Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return new BinaryData(buffer.WrittenMemory);
    }
}
