using System.Security.Cryptography;
using System.Text.Json;
using LLMDistill.Teachers;
using Microsoft.AspNetCore.Http;

namespace LLMDistill.Cli.Serving;

/// <summary>What every endpoint needs: the model, limits, clock and ids.</summary>
internal sealed class ServeContext(LocalModel model, int maxTopLogprobs, TimeProvider timeProvider)
{
    /// <summary>JSON output: token texts such as <c>&lt;|eos|&gt;</c> or apostrophes stay readable (the API is not embedded in HTML).</summary>
    public static readonly JsonWriterOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public LocalModel Model => model;

    public int MaxTopLogprobs => maxTopLogprobs;

    /// <summary>OpenAI's <c>system_fingerprint</c>: changes with the weights, tokenizer, dtype or template.</summary>
    public string SystemFingerprint { get; } = "fp_" + model.Fingerprint[..12];

    public long Created() => timeProvider.GetUtcNow().ToUnixTimeSeconds();

    public static string NewId(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    /// <summary>404 <c>model_not_found</c> unless <paramref name="requested"/> is the served model.</summary>
    public void CheckModel(string requested)
    {
        if (!string.Equals(requested, model.Name, StringComparison.Ordinal))
        {
            throw OpenAiError.ModelNotFound(requested, model.Name);
        }
    }

    /// <summary>Parses the JSON body; malformed JSON is a 400 that says where.</summary>
    public static async Task<JsonDocument> ReadBodyAsync(HttpContext http, CancellationToken cancellationToken)
    {
        try
        {
            var document = await JsonDocument.ParseAsync(http.Request.Body, default, cancellationToken);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw OpenAiError.Invalid("the request body must be a JSON object");
            }

            return document;
        }
        catch (JsonException ex)
        {
            throw new OpenAiError($"We could not parse the JSON body of your request: {ex.Message}", ex);
        }
    }
}
