using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LLMDistill.Data;
using LLMDistill.Generation.Selection;
using LLMDistill.Pipeline;

namespace LLMDistill.Bench;

/// <summary>
/// Writes the subsets of the selection experiment (bench/experiments/selection.sh) for one generated dataset, with the
/// job's own splitter and the job's split (<c>Run:Seed</c> 1234, 10% held out, halves of the training samples):
/// <c>heldout</c>, <c>train</c>, <c>random-1..N</c> (seeded random halves), <c>combined</c> (the default
/// <c>Run:SelectBy</c>), <c>diverse-combined</c> (the diversity-aware half, default <c>Run:Diversity</c>) and
/// <c>diverse</c> (<c>Run:SelectBy=Diverse</c>: the same distance constraint over a seeded random order, coverage
/// without the score) and <c>diverse-random-order</c> (the first version of it, over the order of SHA-256(id)).
/// </summary>
internal sealed class SelectionSubsetsBenchmark : IBenchmark
{
    public string Name => "selection-subsets";

    public string Description => "writes the subsets of bench/experiments/selection.sh (random halves, filtered, diverse)";

    public async Task<int> RunAsync(BenchArgs args)
    {
        var dataset = args.String("dataset", "");
        var output = args.String("out", "");
        var randomHalves = args.Int("random", 6);
        args.EnsureAllUsed();
        if (dataset.Length == 0 || output.Length == 0)
        {
            throw new ArgumentException("--dataset DIR and --out DIR are required");
        }

        var combined = await DatasetSplitter.SplitAsync(dataset, Path.Combine(output, "split-combined"), new RunOptions { SelectBy = SelectionSignal.Combined }, CancellationToken.None);
        var clock = Stopwatch.StartNew();
        var diverse = await DatasetSplitter.SplitAsync(dataset, Path.Combine(output, "split-diverse"), new RunOptions { SelectBy = SelectionSignal.DiverseCombined }, CancellationToken.None);
        var diverseSeconds = clock.Elapsed.TotalSeconds;
        var coverageOnly = await DatasetSplitter.SplitAsync(dataset, Path.Combine(output, "split-coverage"), new RunOptions { SelectBy = SelectionSignal.Diverse }, CancellationToken.None);
        var train = await DatasetDirectory.Open(combined.Train.Directory).ReadAllSamplesAsync(CancellationToken.None);
        var size = combined.Filtered!.Samples;

        var subsets = new List<(string Name, IReadOnlyList<DistillationSample> Samples)>
        {
            ("heldout", await DatasetDirectory.Open(combined.HeldOut.Directory).ReadAllSamplesAsync(CancellationToken.None)),
            ("train", train),
            ("combined", await DatasetDirectory.Open(combined.Filtered.Directory).ReadAllSamplesAsync(CancellationToken.None)),
            ("diverse-combined", await DatasetDirectory.Open(diverse.Filtered!.Directory).ReadAllSamplesAsync(CancellationToken.None)),
            ("diverse", await DatasetDirectory.Open(coverageOnly.Filtered!.Directory).ReadAllSamplesAsync(CancellationToken.None)),
        };
        for (var seed = 1; seed <= randomHalves; seed++)
        {
            subsets.Add(($"random-{seed}", DatasetSplitter.RandomSubset(train, size, seed)));
        }

        // Coverage alone, as first tried (before Run:SelectBy=Diverse existed): the same constraint over the order of
        // SHA-256(id) instead of best score first. "diverse" is the job's own version (a Run:Seed-salted order).
        var options = new RunOptions().Diversity;
        var vectors = HashedTfIdf.Vectorize(train.Select(s => s.Response).ToList(), options.NGram, options.Dimensions);
        var randomOrder = Enumerable.Range(0, train.Count).OrderBy(i => Hash(train[i].Id)).ToList();
        var coverage = DiverseSelector.Select(vectors, options.Dimensions, randomOrder, size, options);
        var position = train.Select((s, i) => (s.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        var coverageSet = coverage.Indices.ToHashSet();
        subsets.Add(("diverse-random-order", train.Where((_, i) => coverageSet.Contains(i)).ToList()));

        foreach (var (name, samples) in subsets)
        {
            var directory = Path.Combine(output, "subsets", name);
            Directory.CreateDirectory(directory);
            await File.WriteAllLinesAsync(
                Path.Combine(directory, DatasetDirectory.ShardFileName(0)),
                samples.Select(s => JsonSerializer.Serialize(s, DatasetJson.Default.DistillationSample)));
            var combinedScores = samples.Select(s => s.Scores?.Combined).OfType<double>().ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"subset {name}: {samples.Count} samples, mean combined {(combinedScores.Count == 0 ? double.NaN : combinedScores.Average()):F4}, mean response chars {samples.Average(s => s.Response.Length):F0}, mean nearest-neighbour distance {(name == "heldout" ? double.NaN : MeanNearestDistance(samples.Select(x => position[x.Id]).ToList(), vectors, options.Dimensions)):F4}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"diverse-combined: min distance {diverse.MinDistance:F4} (found from the data), split in {diverseSeconds:F2} s; diverse: {coverageOnly.MinDistance:F4}; diverse-random-order: {coverage.MinDistance:F4}"));
        return 0;
    }

    private static ulong Hash(string id) => BitConverter.ToUInt64(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(id)));

    /// <summary>Mean cosine distance from each member (rows of the training set's vectors) to its nearest other member.</summary>
    private static double MeanNearestDistance(List<int> rows, float[] vectors, int d)
    {
        var total = 0.0;
        foreach (var i in rows)
        {
            var best = double.NegativeInfinity;
            foreach (var j in rows.Where(j => j != i))
            {
                best = Math.Max(best, System.Numerics.Tensors.TensorPrimitives.Dot(vectors.AsSpan(i * d, d), vectors.AsSpan(j * d, d)));
            }

            total += 1 - best;
        }

        return total / rows.Count;
    }
}
