using System.Text.Json;
using LLMDistill.Teachers.Decorators;

namespace LLMDistill.Teachers.OpenAi;

/// <summary>Reads non-streaming chat, completion and scoring responses; any structural problem is a <see cref="JsonException"/> naming the field.</summary>
internal static class OpenAiResponseReader
{
    /// <summary>Reads a <c>/chat/completions</c> response.</summary>
    public static TeacherResponse ReadChat(string teacher, string requestedModel, BinaryData body, TeacherRequest request)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        var choices = ReadChoices(root, choice =>
        {
            var message = JsonFields.Require(choice, "message");
            var text = JsonFields.OptionalString(message, "content") ?? "";
            var logprobs = OpenAiLogprobsReader.ReadChat(JsonFields.Optional(choice, "logprobs"));
            return new TeacherChoice(text, JsonFields.OptionalString(choice, "finish_reason") ?? "unknown", logprobs);
        });
        return new TeacherResponse(teacher, JsonFields.OptionalString(root, "model") ?? requestedModel, choices, UsageOrEstimate(root, request, choices));
    }

    /// <summary>Reads a <c>/completions</c> response.</summary>
    public static TeacherResponse ReadCompletion(string teacher, string requestedModel, BinaryData body, TeacherRequest request)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        var choices = ReadChoices(root, choice =>
        {
            var text = JsonFields.RequireString(choice, "text");
            var logprobs = OpenAiLogprobsReader.ReadLegacy(JsonFields.Optional(choice, "logprobs"), request.TopLogprobs);
            return new TeacherChoice(text, JsonFields.OptionalString(choice, "finish_reason") ?? "unknown", logprobs?.Tokens);
        });
        return new TeacherResponse(teacher, JsonFields.OptionalString(root, "model") ?? requestedModel, choices, UsageOrEstimate(root, request, choices));
    }

    /// <summary>
    /// Reads an echo response and keeps the tokens that overlap <paramref name="continuation"/>, located by
    /// <c>text_offset</c> (code points, as Python counts). A token straddling the boundary belongs to the
    /// continuation; positions without a logprob (the very first token) are dropped.
    /// </summary>
    public static TeacherScore ReadScore(string requestedModel, BinaryData body, string context, string continuation, int topLogprobs)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        var choices = JsonFields.Require(root, "choices");
        if (choices.ValueKind != JsonValueKind.Array || choices.GetArrayLength() == 0)
        {
            throw new JsonException("'choices' is empty");
        }

        var logprobs = OpenAiLogprobsReader.ReadLegacy(JsonFields.Require(choices[0], "logprobs"), topLogprobs)
            ?? throw new JsonException("'logprobs.tokens' is missing: the server did not echo the prompt");
        var offsets = logprobs.TextOffsets ?? throw new JsonException("'logprobs.text_offset' is missing, so the continuation cannot be located");
        var contextEnd = CodePoints(context);
        var fullEnd = contextEnd + CodePoints(continuation);
        var kept = new List<TokenLogprob>();
        for (var i = 0; i < logprobs.Tokens.Count; i++)
        {
            var token = logprobs.Tokens[i];
            var start = offsets[i];
            var end = i + 1 < offsets.Count ? offsets[i + 1] : start + CodePoints(token.Token);
            if (end > contextEnd && start < fullEnd && !double.IsNaN(token.Logprob))
            {
                kept.Add(token);
            }
        }

        var usage = JsonFields.Usage(root) ?? new TokenUsage(logprobs.Tokens.Count, 1);
        return new TeacherScore(kept, JsonFields.OptionalString(root, "model") ?? requestedModel, usage);
    }

    /// <summary>Unicode code points of <paramref name="text"/>: the unit of <c>text_offset</c>.</summary>
    public static int CodePoints(string text)
    {
        var count = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            count++;
        }

        return count;
    }

    /// <summary>Usage from the response, else an estimate (some local servers send none).</summary>
    public static TokenUsage UsageOrEstimate(JsonElement root, TeacherRequest request, IReadOnlyList<TeacherChoice> choices)
        => JsonFields.Usage(root) ?? new TokenUsage(
            TokenEstimator.PromptTokens(request),
            choices.Sum(c => c.Logprobs?.Count ?? TokenEstimator.Estimate(c.Text)));

    private static List<TeacherChoice> ReadChoices(JsonElement root, Func<JsonElement, TeacherChoice> read)
    {
        var choices = JsonFields.Require(root, "choices");
        if (choices.ValueKind != JsonValueKind.Array || choices.GetArrayLength() == 0)
        {
            throw new JsonException("'choices' is empty");
        }

        // Ordered by index: with n > 1 some servers return choices out of order.
        return choices.EnumerateArray()
            .Select((choice, position) => (Index: JsonFields.Optional(choice, "index") is { ValueKind: JsonValueKind.Number } index ? index.GetInt32() : position, Choice: read(choice)))
            .OrderBy(c => c.Index)
            .Select(c => c.Choice)
            .ToList();
    }
}
