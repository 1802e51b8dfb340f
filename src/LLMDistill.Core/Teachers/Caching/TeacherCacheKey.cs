using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;

namespace LLMDistill.Teachers.Caching;

/// <summary>
/// Content addresses for the response cache: SHA-256 over a canonical JSON of who answers (teacher name, kind,
/// endpoint, model, deployment, mode, optional identity) and the full request (messages or prompt, every sampling
/// parameter including seed and stop, top_logprobs, n, JSON schema). Property order is fixed, so equal requests give
/// equal keys across runs and machines. Nothing secret goes in.
/// </summary>
internal sealed class TeacherCacheKey
{
    private const int FormatVersion = 1;
    private readonly byte[] _teacherPart;

    /// <summary>Fixes the teacher half of every key.</summary>
    public TeacherCacheKey(string teacher, string kind, string? endpoint, string? model, string? deployment, TeacherMode mode, string? identity)
    {
        _teacherPart = WriteJson(writer =>
        {
            writer.WriteNumber("v", FormatVersion);
            writer.WriteString("teacher", teacher);
            writer.WriteString("kind", kind.ToUpperInvariant());
            writer.WriteString("endpoint", endpoint);
            writer.WriteString("model", model);
            writer.WriteString("deployment", deployment);
            writer.WriteString("mode", mode.ToString());
            writer.WriteString("identity", identity);
        });
    }

    /// <summary>The key of a completion (or stream) request.</summary>
    public string ForRequest(TeacherRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Hash("complete", writer =>
        {
            if (request.Messages is { } messages)
            {
                writer.WriteStartArray("messages");
                foreach (var turn in messages)
                {
                    writer.WriteStartArray();
                    writer.WriteStringValue(turn.Role);
                    writer.WriteStringValue(turn.Content);
                    writer.WriteEndArray();
                }

                writer.WriteEndArray();
            }

            writer.WriteString("prompt", request.Prompt);
            var sampling = request.Sampling;
            writer.WriteNumber("temperature", sampling.Temperature);
            writer.WriteNumber("top_p", sampling.TopP);
            writer.WriteNumber("max_tokens", sampling.MaxTokens);
            if (sampling.Seed is { } seed)
            {
                writer.WriteNumber("seed", seed);
            }

            writer.WriteStartArray("stop");
            foreach (var stop in sampling.Stop ?? [])
            {
                writer.WriteStringValue(stop);
            }

            writer.WriteEndArray();
            writer.WriteNumber("top_logprobs", request.TopLogprobs);
            writer.WriteNumber("n", request.N);
            writer.WriteString("json_schema", request.JsonSchema);
        });
    }

    /// <summary>The key of a scoring request.</summary>
    public string ForScore(string context, string continuation, int topLogprobs) => Hash("score", writer =>
    {
        writer.WriteString("context", context);
        writer.WriteString("continuation", continuation);
        writer.WriteNumber("top_logprobs", topLogprobs);
    });

    private string Hash(string operation, Action<Utf8JsonWriter> request)
    {
        var requestPart = WriteJson(writer =>
        {
            writer.WriteString("op", operation);
            request(writer);
        });
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(_teacherPart);
        sha.AppendData("\n"u8);
        sha.AppendData(requestPart);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static byte[] WriteJson(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
