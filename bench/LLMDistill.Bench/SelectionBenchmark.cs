using System.Diagnostics;
using System.Globalization;
using LLMDistill.Generation.Selection;

namespace LLMDistill.Bench;

/// <summary>
/// Diversity-aware selection (<see cref="DiverseSelector"/>) of half of N synthetic responses (default 100,000, about
/// 100 Zipf-distributed words each, a tenth of them near-copies of earlier ones): hashed TF-IDF vectors, then the
/// score-first pass with the distance found by bisection (the default) and with a fixed distance. Baseline, in the
/// same run: the plain top-half by score, which is a sort.
/// </summary>
internal sealed class SelectionBenchmark : IBenchmark
{
    public string Name => "selection";

    public string Description => "diversity-aware selection (hashed TF-IDF + DEITA repr filter) of half of N samples";

    public Task<int> RunAsync(BenchArgs args) => Task.FromResult(Run(args));

    private static int Run(BenchArgs args)
    {
        var count = args.Int("count", 100_000);
        var words = args.Int("words", 100);
        var dimensions = args.Int("dimensions", 512);
        var fixedDistance = args.Int("fixed-permille", 500) / 1000.0;
        var auto = args.String("auto", "yes") != "no"; // the bisection costs about 11 passes
        args.EnsureAllUsed();
        var random = new Random(1);
        var (texts, copyOf) = Synthesize(count, words, random);
        var scores = texts.Select(_ => random.NextDouble()).ToArray();
        var budget = count / 2;

        var clock = Stopwatch.StartNew();
        var order = Enumerable.Range(0, count).OrderByDescending(i => scores[i]).ToList();
        var sort = clock.Elapsed;
        clock.Restart();
        var vectors = HashedTfIdf.Vectorize(texts, 2, dimensions);
        var vectorize = clock.Elapsed;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"selection: {count:N0} texts of {words} words, budget {budget:N0}, {dimensions} dims ({vectors.Length * 4L / 1e6:F0} MB); top-half sort {sort.TotalSeconds:F2} s; vectorise {vectorize.TotalSeconds:F2} s ({count / vectorize.TotalSeconds:N0} texts/s)"));

        foreach (var (label, options) in new[] { ("fixed", new DiversityOptions { MinDistance = fixedDistance }), ("auto", new DiversityOptions()) }.Take(auto ? 2 : 1))
        {
            clock.Restart();
            var selection = DiverseSelector.Select(vectors, dimensions, order, budget, options);
            var elapsed = clock.Elapsed;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{label,-5}: {elapsed.TotalSeconds:F2} s, {selection.Passes} passes, min distance {selection.MinDistance:F3}, chose {selection.Indices.Count:N0} with {Pairs(selection.Indices, copyOf):N0} text/near-copy pairs (the top half by score: {Pairs(order.Take(budget).ToList(), copyOf):N0})"));
        }

        return 0;
    }

    /// <summary>How many chosen texts have their near-copy's original chosen too.</summary>
    private static int Pairs(IReadOnlyList<int> chosen, int[] copyOf)
    {
        var set = chosen.ToHashSet();
        return chosen.Count(i => copyOf[i] >= 0 && set.Contains(copyOf[i]));
    }

    private static (List<string> Texts, int[] CopyOf) Synthesize(int count, int words, Random random)
    {
        var vocabulary = Enumerable.Range(0, 20_000).Select(i => "w" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        var texts = new List<string>(count);
        var copyOf = Enumerable.Repeat(-1, count).ToArray();
        while (texts.Count < count)
        {
            if (texts.Count > 100 && random.NextDouble() < 0.1)
            {
                // A near-copy: an earlier text with a few words replaced.
                var source = random.Next(texts.Count);
                var copy = texts[source].Split(' ');
                copyOf[texts.Count] = source;
                for (var k = 0; k < 3; k++)
                {
                    copy[random.Next(copy.Length)] = vocabulary[random.Next(vocabulary.Length)];
                }

                texts.Add(string.Join(' ', copy));
                continue;
            }

            // Zipf(1) over the vocabulary by inverse transform of the harmonic CDF, approximated by exp.
            texts.Add(string.Join(' ', Enumerable.Range(0, words).Select(_ => vocabulary[Math.Min(vocabulary.Length - 1, (int)Math.Exp(random.NextDouble() * Math.Log(vocabulary.Length)) - 1)])));
        }

        return (texts, copyOf);
    }
}
