using System.Text.Json;
using LLMDistill.Tests.Fixtures;

namespace LLMDistill.Tests.Model;

/// <summary>The transformers reference outputs stored beside the shared fixtures (see ../shared/fixtures/hf/README.md).</summary>
internal sealed record HfReference(long[][] InputIds, float[][][] Logits, long[] GreedyPrefix, long[] GreedyOutput)
{
    public static string Dir(string name) => SharedPaths.HfFixture(name);

    public static HfReference Load(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir(name), "reference.json")));
        var root = doc.RootElement;
        return new HfReference(
            root.GetProperty("input_ids").Deserialize<long[][]>()!,
            root.GetProperty("logits").Deserialize<float[][][]>()!,
            root.GetProperty("greedy_prefix").Deserialize<long[]>()!,
            root.GetProperty("greedy_output").Deserialize<long[]>()!);
    }
}

/// <summary>One prompt of a shakespeare model's reference.json (greedy continuation of 48 tokens by transformers).</summary>
internal sealed record ShakespeareReference(string Prompt, long[] PromptIds, long[] GreedyIds, float[] LogitsLast)
{
    public static string Dir(string model) => SharedPaths.Model(model);

    public static IReadOnlyList<ShakespeareReference> Load(string model)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir(model), "reference.json")));
        return doc.RootElement.EnumerateArray().Select(e => new ShakespeareReference(
            e.GetProperty("prompt").GetString()!,
            e.GetProperty("prompt_ids").Deserialize<long[]>()!,
            e.GetProperty("greedy_ids").Deserialize<long[]>()!,
            e.GetProperty("logits_last").Deserialize<float[]>()!)).ToList();
    }
}
