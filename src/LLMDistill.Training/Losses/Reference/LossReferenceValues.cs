using System.Text.Json.Serialization;

namespace LLMDistill.Losses.Reference;

/// <summary>The six losses of a reference case, named as in the reference file (and the <c>inspect loss</c> output).</summary>
internal sealed record LossReferenceValues(
    [property: JsonPropertyName("forward_kl")] double ForwardKl,
    [property: JsonPropertyName("reverse_kl")] double ReverseKl,
    [property: JsonPropertyName("jsd")] double Jsd,
    [property: JsonPropertyName("topk_kl")] double TopKKl,
    [property: JsonPropertyName("ce")] double Ce,
    [property: JsonPropertyName("hinton")] double Hinton)
{
    /// <summary>Field names and values, in output order.</summary>
    [JsonIgnore]
    public IEnumerable<(string Name, double Value)> Fields =>
        [("forward_kl", ForwardKl), ("reverse_kl", ReverseKl), ("jsd", Jsd), ("topk_kl", TopKKl), ("ce", Ce), ("hinton", Hinton)];
}
