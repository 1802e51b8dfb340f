using System.Globalization;
using System.Text.Json;
using LLMDistill.Data;
using LLMDistill.Teachers;

namespace LLMDistill.Tests.Pipeline;

/// <summary>Small generated-looking datasets for the run job's tests.</summary>
internal static class PipelineSamples
{
    public static DistillationSample Sample(int i, double? combined = null, double? perplexity = null)
        => new(
            $"id-{i:D4}",
            TeacherMode.Completion,
            $"ROMEO {i}:\n",
            null,
            $"answer number {i.ToString(CultureInfo.InvariantCulture)}",
            new SampleProvenance("seed", "speech", "h", "local", "shakespeare-4m", new SamplingParameters(Temperature: 0.7f)),
            combined is null && perplexity is null ? null : new TeachingScores(combined ?? 0, null, perplexity, null, 1.0));

    /// <summary>Writes <paramref name="samples"/> as a dataset directory (one shard, no manifest).</summary>
    public static string WriteDataset(string directory, IEnumerable<DistillationSample> samples)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllLines(
            Path.Combine(directory, DatasetDirectory.ShardFileName(0)),
            samples.Select(s => JsonSerializer.Serialize(s, DatasetJson.Default.DistillationSample)));
        return directory;
    }

    public static async Task<List<DistillationSample>> ReadAsync(string directory)
        => [.. await DatasetDirectory.Open(directory).ReadAllSamplesAsync(CancellationToken.None)];
}
