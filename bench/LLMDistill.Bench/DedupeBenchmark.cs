using System.Diagnostics;
using System.Globalization;
using LLMDistill.Generation.Dedupe;
using LLMDistill.Text;

namespace LLMDistill.Bench;

/// <summary>
/// Near-duplicate filtering of N synthetic instructions (default 100,000): template-like tasks over a Zipf vocabulary,
/// with edited copies (substitutions, deletions, insertions) of earlier tasks and exact repeats mixed in, fed in order
/// through <see cref="NearDuplicateIndex"/> (exact hash, MinHash LSH, verified ROUGE-L ≥ 0.7). Baseline, measured in
/// the same run: Self-Instruct's brute force (ROUGE-L of each task against every kept task) on a prefix, which also
/// checks that LSH makes the same decisions there.
/// </summary>
internal sealed class DedupeBenchmark : IBenchmark
{
    public string Name => "dedupe";

    public string Description => "near-duplicate filtering (MinHash LSH + ROUGE-L) vs brute force";

    private static readonly string[] Openers = ["Write", "Explain", "Describe", "List", "Summarise", "Compare", "Suggest", "Outline", "Create", "Give", "Translate", "Classify", "Rewrite", "Plan", "Draft", "Identify", "Analyse", "Evaluate"];

    public Task<int> RunAsync(BenchArgs args) => Task.FromResult(Run(args));

    private static int Run(BenchArgs args)
    {
        var count = args.Int("count", 100_000);
        var baselineCount = Math.Min(count, args.Int("baseline", 4_000));
        var seed = args.Int("seed", 1);
        args.EnsureAllUsed();
        var texts = Synthesize(count, seed);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"dedupe: {count:N0} synthetic tasks, mean {texts.Average(t => RougeL.Tokenize(t).Count):F1} words; threshold 0.7, 64 bands x 4 rows"));

        var clock = Stopwatch.StartNew();
        var index = new NearDuplicateIndex(0.7, 64, 4);
        var decisions = new List<DuplicateKind>(count);
        for (var i = 0; i < texts.Count; i++)
        {
            decisions.Add(index.AddIfUnique(i.ToString(CultureInfo.InvariantCulture), texts[i]).Kind);
        }

        var lsh = clock.Elapsed;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"lsh:   {lsh.TotalSeconds:F2} s ({count / lsh.TotalSeconds:N0} tasks/s), kept {index.Count:N0}, exact {decisions.Count(d => d == DuplicateKind.Exact):N0}, near {decisions.Count(d => d == DuplicateKind.Near):N0}, " +
            $"candidates {index.Candidates / (double)count:F1}/task (bucket entries walked {index.BucketVisits / (double)count:F1}/task), LCS verifications {index.Verifications / (double)count:F2}/task"));

        clock.Restart();
        var brute = BruteForce(texts.Take(baselineCount).ToList());
        var bruteTime = clock.Elapsed;
        var projected = bruteTime.TotalSeconds * Math.Pow((double)count / baselineCount, 2);
        var agree = brute.Zip(decisions).Count(p => (p.First == DuplicateKind.None) == (p.Second == DuplicateKind.None));
        var missed = brute.Zip(decisions).Count(p => p.First != DuplicateKind.None && p.Second == DuplicateKind.None);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"brute: {bruteTime.TotalSeconds:F2} s for the first {baselineCount:N0}; projected {projected:N0} s for {count:N0} (quadratic)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ratio: {projected / lsh.TotalSeconds:N0}x faster than brute force; agreement on the prefix {agree}/{baselineCount} (missed duplicates: {missed})"));
        return missed == 0 ? 0 : 1;
    }

    private static List<DuplicateKind> BruteForce(List<string> texts)
    {
        var kept = new List<string>();
        var exact = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<DuplicateKind>();
        foreach (var text in texts)
        {
            var normalized = string.Join(' ', RougeL.Tokenize(text));
            if (exact.Contains(normalized))
            {
                result.Add(DuplicateKind.Exact);
                continue;
            }

            if (kept.Any(k => RougeL.FMeasure(k, text) >= 0.7))
            {
                result.Add(DuplicateKind.Near);
                continue;
            }

            kept.Add(text);
            exact.Add(normalized);
            result.Add(DuplicateKind.None);
        }

        return result;
    }

    private static List<string> Synthesize(int count, int seed)
    {
        var random = new Random(seed);
        var vocabulary = Enumerable.Range(0, 6000).Select(i => Word(i)).ToArray();
        var texts = new List<string>(count);
        while (texts.Count < count)
        {
            var roll = random.NextDouble();
            if (texts.Count > 100 && roll < 0.02)
            {
                texts.Add(texts[random.Next(texts.Count)].ToUpperInvariant()); // exact after normalisation
            }
            else if (texts.Count > 100 && roll < 0.12)
            {
                texts.Add(Edit(texts[random.Next(texts.Count)], vocabulary, random));
            }
            else
            {
                var words = Enumerable.Range(0, 6 + random.Next(20)).Select(_ => vocabulary[Zipf(random, vocabulary.Length)]);
                texts.Add(Openers[random.Next(Openers.Length)] + " " + string.Join(' ', words) + ".");
            }
        }

        return texts;
    }

    private static string Edit(string text, string[] vocabulary, Random random)
    {
        var words = text.Split(' ').ToList();
        var edits = 1 + random.Next(Math.Max(1, words.Count / 5));
        for (var e = 0; e < edits && words.Count > 2; e++)
        {
            var position = random.Next(words.Count);
            switch (random.Next(3))
            {
                case 0:
                    words[position] = vocabulary[Zipf(random, vocabulary.Length)];
                    break;
                case 1:
                    words.RemoveAt(position);
                    break;
                default:
                    words.Insert(position, vocabulary[Zipf(random, vocabulary.Length)]);
                    break;
            }
        }

        return string.Join(' ', words);
    }

    // Zipf-like ranks: frequent function words, long tail of content words, as in real instructions.
    private static int Zipf(Random random, int n) => Math.Min(n - 1, (int)Math.Floor(Math.Pow(n + 1, random.NextDouble())) - 1);

    private static string Word(int i)
    {
        const string letters = "etaoinshrdlucmfwypvbgkqjxz";
        var chars = new List<char>();
        var v = i + 1;
        while (v > 0)
        {
            chars.Add(letters[v % letters.Length]);
            v /= letters.Length;
        }

        return new string([.. chars]);
    }
}
