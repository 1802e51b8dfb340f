using LLMDistill.Generation.Dedupe;
using LLMDistill.Text;

namespace LLMDistill.Tests.Generation;

public sealed class NearDuplicateIndexTests
{
    private static readonly string[] Vocabulary = Enumerable.Range(0, 3000).Select(i => "w" + i.ToString("x", System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    [Fact]
    public void AddIfUnique_ExactAfterNormalisation_IsExactDuplicate()
    {
        var index = new NearDuplicateIndex(0.7, 64, 4);
        Assert.Equal(DuplicateKind.None, index.AddIfUnique("a", "Write a poem about the sea.").Kind);

        var verdict = index.AddIfUnique("b", "  write A POEM, about the sea!! ");

        Assert.Equal(DuplicateKind.Exact, verdict.Kind);
        Assert.Equal("a", verdict.MatchKey);
        Assert.Equal(1, index.Count);
    }

    [Fact]
    public void AddIfUnique_RougeLAtThreshold_IsNearDuplicateWithExactScore()
    {
        var index = new NearDuplicateIndex(0.7, 64, 4);
        const string kept = "Explain why the sky looks blue during the day and red at sunset";
        const string similar = "Explain why the sky appears blue in the day and red at sunset";
        const string different = "Write a haiku about a commuter train at dawn";
        index.AddIfUnique("kept", kept);

        var near = index.Check(similar);
        var unique = index.Check(different);

        Assert.Equal(DuplicateKind.Near, near.Kind);
        Assert.Equal(RougeL.FMeasure(kept, similar), near.Score, 12);
        Assert.True(near.Score >= 0.7);
        Assert.Equal(DuplicateKind.None, unique.Kind);
    }

    [Fact]
    public void Check_BelowThreshold_IsNotADuplicate()
    {
        var index = new NearDuplicateIndex(0.7, 64, 4);
        index.AddIfUnique("a", "Write a poem about the sea");
        Assert.True(RougeL.FMeasure("Write a poem about the sea", "Write a long essay about the mountains") < 0.7);

        Assert.Equal(DuplicateKind.None, index.Check("Write a long essay about the mountains").Kind);
    }

    [Fact]
    public void BitParallelLcs_MatchesDynamicProgramming_OnRandomSequences()
    {
        var random = new Random(5);
        for (var trial = 0; trial < 500; trial++)
        {
            var a = Enumerable.Range(0, random.Next(0, 150)).Select(_ => random.Next(12)).ToArray();
            var b = Enumerable.Range(0, random.Next(0, 150)).Select(_ => random.Next(12)).ToArray();

            var fast = new BitParallelLcs(a).Length(b);

            Assert.Equal(RougeL.LcsLength(a, b), fast);
        }
    }

    [Fact]
    public void Lsh_SyntheticNearDuplicatesAboveThreshold_AreAllCandidates()
    {
        // 2,000 random base texts and, for each, an edited copy (substitutions, deletions, insertions, swaps) whose
        // ROUGE-L with its base is at or above 0.7. Every such pair must come out of LSH as a candidate.
        var random = new Random(17);
        var index = new NearDuplicateIndex(0.7, 64, 4);
        var pairs = new List<(string Key, string Text)>();
        for (var i = 0; i < 2000; i++)
        {
            var words = Enumerable.Range(0, random.Next(6, 40)).Select(_ => Vocabulary[random.Next(Vocabulary.Length)]).ToList();
            var baseText = string.Join(' ', words);
            index.AddIfUnique("k" + i, baseText);
            var edited = Edit(words, random);
            if (RougeL.FMeasure(baseText, edited) >= 0.7)
            {
                pairs.Add(("k" + i, edited));
            }
        }

        var found = pairs.Count(p => index.CandidateKeys(p.Text).Contains(p.Key));

        Assert.True(pairs.Count > 1500, $"only {pairs.Count} pairs above the threshold");
        Assert.Equal(pairs.Count, found);
        Assert.All(pairs, p => Assert.NotEqual(DuplicateKind.None, index.Check(p.Text).Kind));
    }

    [Fact]
    public void AddIfUnique_SameInputOrder_GivesSameDecisions()
    {
        var random = new Random(3);
        var texts = Enumerable.Range(0, 400).Select(_ => string.Join(' ', Enumerable.Range(0, random.Next(4, 12)).Select(_ => Vocabulary[random.Next(6)]))).ToList();

        static List<string> Run(IEnumerable<string> input)
        {
            var index = new NearDuplicateIndex(0.7, 64, 4);
            return input.Select((t, i) => index.AddIfUnique(i.ToString(System.Globalization.CultureInfo.InvariantCulture), t)).Select(v => $"{v.Kind}:{v.MatchKey}").ToList();
        }

        Assert.Equal(Run(texts), Run(texts));
        Assert.Contains(Run(texts), d => d.StartsWith("Near", StringComparison.Ordinal));
    }

    private static string Edit(List<string> words, Random random)
    {
        var edited = new List<string>(words);
        var edits = random.Next(1, Math.Max(2, words.Count * 3 / 10) + 1);
        for (var e = 0; e < edits && edited.Count > 1; e++)
        {
            var position = random.Next(edited.Count);
            switch (random.Next(4))
            {
                case 0:
                    edited[position] = Vocabulary[random.Next(Vocabulary.Length)];
                    break;
                case 1:
                    edited.RemoveAt(position);
                    break;
                case 2:
                    edited.Insert(position, Vocabulary[random.Next(Vocabulary.Length)]);
                    break;
                default:
                    var other = random.Next(edited.Count);
                    (edited[position], edited[other]) = (edited[other], edited[position]);
                    break;
            }
        }

        return string.Join(' ', edited);
    }
}
