using System.Text.Encodings.Web;
using System.Text.Json;
using LLMDistill.Generation.Prompts;
using LLMDistill.Teachers;

namespace LLMDistill.Generation.Scoring;

/// <summary>
/// Builds judge requests so the judged text cannot pose as instructions or as the judge's verdict: the sample goes in
/// as one JSON object (every quote, newline and angle bracket escaped, so it cannot close its block) inside
/// <c>&lt;sample-xxxxxxxx&gt;</c> tags whose suffix is derived from the content, and the reply is parsed by
/// <see cref="JudgeResponseParser"/>, which ignores anything the judge merely quotes from the sample.
/// </summary>
public static class JudgePrompt
{
    /// <summary>JSON schema of the verdict, sent as structured output where the teacher supports it.</summary>
    public const string Schema = """{"type":"object","properties":{"rationale":{"type":"string"},"score":{"type":"integer","minimum":1,"maximum":10}},"required":["rationale","score"],"additionalProperties":false}""";

    // The default encoder escapes <, >, &, quotes and control characters, so the block's closing tag cannot appear inside it.
    private static readonly JsonSerializerOptions EscapingOptions = new() { Encoder = JavaScriptEncoder.Default };

    /// <summary>The delimiter tag name for a sample.</summary>
    public static string TagFor(string instruction, string? input, string response) => "sample-" + ContentHash.Of("judge", instruction, input, response)[..8];

    /// <summary>The delimited, escaped sample block.</summary>
    public static string Block(TeacherMode mode, string instruction, string? input, string response)
    {
        var tag = TagFor(instruction, input, response);
        var fields = mode == TeacherMode.Completion
            ? new Dictionary<string, string?> { ["prefix"] = instruction, ["continuation"] = response }
            : new Dictionary<string, string?> { ["task"] = instruction, ["input"] = input, ["answer"] = response };
        var json = JsonSerializer.Serialize(fields.Where(f => f.Value is not null).ToDictionary(f => f.Key, f => f.Value), EscapingOptions);
        return $"<{tag}>\n{json}\n</{tag}>";
    }

    /// <summary>The judge request for one answer.</summary>
    public static TeacherRequest Build(PromptTemplate template, TeacherMode mode, string instruction, string? input, string response, SamplingParameters sampling)
    {
        ArgumentNullException.ThrowIfNull(template);
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["sample"] = Block(mode, instruction, input, response),
            ["sample_tag"] = TagFor(instruction, input, response),
        };
        return new TeacherRequest(template.RenderChat(values), null, sampling, JsonSchema: Schema);
    }
}
