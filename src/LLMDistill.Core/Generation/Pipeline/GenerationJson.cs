using System.Text.Json.Serialization;

namespace LLMDistill.Generation.Pipeline;

/// <summary>JSON of the pipeline's internal files (the expansion journal).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ExpansionRecord))]
internal sealed partial class GenerationJson : JsonSerializerContext;
