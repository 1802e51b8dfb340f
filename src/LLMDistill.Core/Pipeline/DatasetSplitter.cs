using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LLMDistill.Configuration;
using LLMDistill.Data;
using LLMDistill.Generation.Selection;

namespace LLMDistill.Pipeline;

/// <summary>
/// Splits a generated dataset for the <c>run</c> job: a held-out part chosen by a hash of each sample's id (so it does
/// not depend on file order), the training part, and for the comparison a subset of the training part ranked by a
/// teaching-value signal plus a random subset of the same size. Every subset is a dataset directory (one
/// <c>samples-00000.jsonl</c>, samples in dataset order) that <c>train</c> and <c>eval</c> read.
/// </summary>
public static class DatasetSplitter
{
    /// <summary>The subset names, also their folder names.</summary>
    public const string HeldOutName = "heldout", TrainName = "train", FilteredName = "filtered", RandomName = "random";

    /// <summary>Reads <paramref name="datasetDirectory"/> and writes the subsets under <paramref name="outputDirectory"/>, replacing what was there.</summary>
    /// <param name="datasetDirectory">A dataset directory of <c>generate</c>.</param>
    /// <param name="outputDirectory">Where the subset folders go.</param>
    /// <param name="options">Held-out fraction, comparison, subset size, signal and seed.</param>
    /// <param name="cancellationToken">Cancels reading and writing.</param>
    /// <returns>What was written.</returns>
    /// <exception cref="InvalidDataException">The dataset is malformed or too small to split.</exception>
    /// <exception cref="OptionsValidationException">No sample has the <c>Run:SelectBy</c> signal.</exception>
    public static async Task<DatasetSplits> SplitAsync(string datasetDirectory, string outputDirectory, RunOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        var samples = await DatasetDirectory.Open(datasetDirectory).ReadAllSamplesAsync(cancellationToken);
        if (samples.Count < 3)
        {
            throw new InvalidDataException($"'{datasetDirectory}' holds {samples.Count} sample(s); the run needs at least 3 (held-out and training data); raise Generate:TargetSamples");
        }

        var heldCount = Math.Clamp((int)Math.Round(samples.Count * options.HeldOutFraction), 1, samples.Count - 2);
        var heldOut = samples.Select((s, i) => (Index: i, Key: Key(options.Seed, HeldOutName, s.Id)))
            .OrderBy(x => x.Key).Take(heldCount).Select(x => x.Index).ToHashSet();
        var pool = samples.Where((_, i) => !heldOut.Contains(i)).ToList();

        var temp = outputDirectory.TrimEnd('/', '\\') + ".tmp";
        if (Directory.Exists(temp))
        {
            Directory.Delete(temp, recursive: true);
        }

        var held = await WriteAsync(temp, HeldOutName, samples.Where((_, i) => heldOut.Contains(i)).ToList(), cancellationToken);
        var train = await WriteAsync(temp, TrainName, pool, cancellationToken);
        SubsetSummary? filtered = null, random = null;
        double? minDistance = null;
        if (options.Compare)
        {
            var size = Math.Clamp((int)Math.Round(pool.Count * options.SubsetFraction), 1, Math.Max(1, pool.Count - 1));
            (var chosen, minDistance) = Filtered(pool, size, options);
            filtered = await WriteAsync(temp, FilteredName, chosen, cancellationToken);
            random = await WriteAsync(temp, RandomName, RandomSubset(pool, size, options.Seed).ToList(), cancellationToken);
        }

        if (Directory.Exists(outputDirectory))
        {
            Directory.Delete(outputDirectory, recursive: true);
        }

        Directory.Move(temp, outputDirectory);
        SubsetSummary Moved(SubsetSummary s) => s with { Directory = Path.Combine(Path.GetFullPath(outputDirectory), s.Name) };
        return new DatasetSplits(Moved(held), Moved(train), filtered is null ? null : Moved(filtered), random is null ? null : Moved(random), options.SelectBy, minDistance);
    }

    /// <summary>A seeded random choice of <paramref name="size"/> samples of <paramref name="pool"/>, in pool order (the <c>random</c> subset uses <c>Run:Seed</c>).</summary>
    /// <param name="pool">The samples to choose from.</param>
    /// <param name="size">How many (all when the pool is smaller).</param>
    /// <param name="seed">The seed: the same seed and ids give the same choice whatever the pool's order.</param>
    public static IReadOnlyList<DistillationSample> RandomSubset(IReadOnlyList<DistillationSample> pool, int size, int seed)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var ids = pool.OrderBy(s => Key(seed, RandomName, s.Id)).Take(size).Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        return pool.Where(s => ids.Contains(s.Id)).ToList();
    }

    /// <summary>The value of <paramref name="signal"/> for a sample, or null when it was not measured (always for <see cref="SelectionSignal.Diverse"/>, which ranks by no score).</summary>
    public static double? SignalOf(DistillationSample sample, SelectionSignal signal)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var scores = sample.Scores;
        return signal switch
        {
            SelectionSignal.Combined => scores?.Combined,
            SelectionSignal.Judge => scores?.Judge,
            SelectionSignal.Perplexity => scores?.Perplexity,
            SelectionSignal.Ifd => scores?.Ifd,
            SelectionSignal.Format => scores?.Format,
            SelectionSignal.DiverseCombined => scores?.Combined,
            SelectionSignal.Diverse => null,
            _ => throw new ArgumentOutOfRangeException(nameof(signal), signal, "unknown selection signal"),
        };
    }

    private static (List<DistillationSample> Chosen, double? MinDistance) Filtered(List<DistillationSample> pool, int size, RunOptions options)
    {
        if (options.SelectBy != SelectionSignal.Diverse && pool.All(s => SignalOf(s, options.SelectBy) is null))
        {
            throw new OptionsValidationException(
                $"{RunOptions.SectionName}:SelectBy: no sample has a {options.SelectBy.Score()} score; pick a signal the dataset has (Combined always exists when Generate scored the samples)");
        }

        // Highest signal first; unmeasured samples last; ties broken by a seeded hash, not by file order (Diverse: all ties).
        var ranked = Enumerable.Range(0, pool.Count)
            .OrderByDescending(i => SignalOf(pool[i], options.SelectBy) ?? double.NegativeInfinity)
            .ThenBy(i => Key(options.Seed, FilteredName, pool[i].Id))
            .ToList();
        double? minDistance = null;
        IEnumerable<int> chosen = ranked.Take(size);
        if (options.SelectBy.IsDiverse())
        {
            var diversity = options.Diversity;
            var texts = pool.Select(s => diversity.IncludePrompt ? $"{s.Instruction}\n{s.Input}\n{s.Response}" : s.Response).ToList();
            var vectors = HashedTfIdf.Vectorize(texts, diversity.NGram, diversity.Dimensions);
            var selection = DiverseSelector.Select(vectors, diversity.Dimensions, ranked, size, diversity);
            (chosen, minDistance) = (selection.Indices, selection.MinDistance);
        }

        var set = chosen.ToHashSet();
        return (pool.Where((_, i) => set.Contains(i)).ToList(), minDistance);
    }

    private static async Task<SubsetSummary> WriteAsync(string root, string name, List<DistillationSample> samples, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(root, name);
        Directory.CreateDirectory(directory);
        await using (var writer = new StreamWriter(Path.Combine(directory, DatasetDirectory.ShardFileName(0)), append: false, new UTF8Encoding(false)))
        {
            writer.NewLine = "\n";
            foreach (var sample in samples)
            {
                await writer.WriteLineAsync(JsonSerializer.Serialize(sample, DatasetJson.Default.DistillationSample).AsMemory(), cancellationToken);
            }
        }

        return new SubsetSummary(
            name,
            directory,
            samples.Count,
            samples.Sum(s => (long)s.Response.Length),
            Mean(samples, s => s.Scores?.Combined),
            Mean(samples, s => s.Scores?.Perplexity),
            Mean(samples, s => s.Scores?.Ifd));
    }

    private static double? Mean(List<DistillationSample> samples, Func<DistillationSample, double?> value)
    {
        var values = samples.Select(value).OfType<double>().ToList();
        return values.Count == 0 ? null : values.Average();
    }

    private static ulong Key(int seed, string salt, string id)
        => BinaryPrimitives.ReadUInt64LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}\u0000{salt}\u0000{id}")));
}
