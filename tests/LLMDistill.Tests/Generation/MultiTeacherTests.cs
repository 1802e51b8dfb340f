using LLMDistill.Data;
using LLMDistill.Generation;
using LLMDistill.Generation.MultiTeacher;
using LLMDistill.Teachers;

namespace LLMDistill.Tests.Generation;

public sealed class MultiTeacherTests
{
    private static TeacherAnswerCandidate Answer(string teacher, string text, double combined)
        => new(teacher, teacher + "-m", text, "stop", new TeachingScores(combined, null, null, null, 1), null, new SamplingParameters());

    [Fact]
    public void Choose_Best_PicksHighestScoreAndKeepsOthersWithProvenance()
    {
        var (chosen, alternatives) = AnswerSelection.Choose([Answer("a", "one", 0.4), Answer("b", "two", 0.9), Answer("c", "three", 0.9)], new MultiTeacherOptions())!.Value;

        Assert.Equal("b", chosen.Teacher); // tie with c goes to the earlier teacher
        Assert.Equal(["a", "c"], alternatives.Select(a => a.Teacher));
        Assert.Equal("a-m", alternatives[0].Model);
        Assert.Equal(0.4, alternatives[0].Scores!.Combined);
    }

    [Fact]
    public void Choose_ConsensusOnShortAnswers_PicksMajorityAfterNormalisation()
    {
        var options = new MultiTeacherOptions { Strategy = MultiTeacherStrategy.Consensus };

        var (chosen, _) = AnswerSelection.Choose([Answer("a", "Positive.", 0.2), Answer("b", "negative", 0.9), Answer("c", "positive", 0.5)], options)!.Value;

        Assert.Equal("c", chosen.Teacher); // the best-scored phrasing of the majority answer
        Assert.Null(AnswerSelection.Choose([Answer("a", "yes", 0.2), Answer("b", "no", 0.9)], options));
    }

    [Fact]
    public void Choose_ConsensusOnLongAnswers_FallsBackToBest()
    {
        var options = new MultiTeacherOptions { Strategy = MultiTeacherStrategy.Consensus, ShortAnswerMaxChars = 5 };

        Assert.Equal("b", AnswerSelection.Choose([Answer("a", "a long answer", 0.2), Answer("b", "another long one", 0.9)], options)!.Value.Chosen.Teacher);
    }

    [Fact]
    public void Choose_All_KeepsFirstTeacherAndEveryOtherAnswer()
    {
        var options = new MultiTeacherOptions { Strategy = MultiTeacherStrategy.All };

        var (chosen, alternatives) = AnswerSelection.Choose([Answer("a", "x", 0.1), Answer("b", "y", 0.9)], options)!.Value;

        Assert.Equal("a", chosen.Teacher);
        Assert.Equal("b", Assert.Single(alternatives).Teacher);
    }

    [Fact]
    public void Mix_TwoTeachersSparseTopK_MatchesHandComputedMixture()
    {
        // Position 0, chosen token "A". Teacher 1 (weight 3): A 0.6, B 0.3 (leftover 0.1). Teacher 2 (weight 1): A 0.5, C 0.4 (leftover 0.1).
        // Union {A, B, C}. Teacher 1 missed C: imputed min(0.1 / 1, 0.3) = 0.1. Teacher 2 missed B: min(0.1 / 1, 0.4) = 0.1.
        // Weights 0.75 / 0.25: m(A) = 0.75·0.6 + 0.25·0.5 = 0.575; m(B) = 0.75·0.3 + 0.25·0.1 = 0.25; m(C) = 0.75·0.1 + 0.25·0.4 = 0.175.
        var t1 = Position("A", 0.6, ("A", 0.6), ("B", 0.3));
        var t2 = Position("A", 0.5, ("A", 0.5), ("C", 0.4));

        var mixed = TopKMixture.Mix([(3.0, [t1]), (1.0, [t2])], topK: 2);

        var position = Assert.Single(mixed);
        Assert.Equal("A", position.Token);
        Assert.Equal(Math.Log(0.575), position.Logprob, 12);
        Assert.Equal(["A", "B"], position.Top.Select(t => t.Token));
        Assert.Equal(Math.Log(0.25), position.Top[1].Logprob, 12);
        Assert.Equal(6, position.Top[1].TokenId);
        Assert.Equal(Math.Log(0.175), TopKMixture.Mix([(3.0, [t1]), (1.0, [t2])], topK: 3)[0].Top[2].Logprob, 12);
    }

    [Fact]
    public void Mix_ImputedMassIsCappedByTheTeachersOwnKthProbability()
    {
        // Teacher 2 lists only A 0.2 (leftover 0.8) and misses B: imputed min(0.8, 0.2) = 0.2, not 0.8.
        var t1 = Position("A", 0.5, ("A", 0.5), ("B", 0.5));
        var t2 = Position("A", 0.2, ("A", 0.2));

        var mixed = TopKMixture.Mix([(1.0, [t1]), (1.0, [t2])], topK: 2)[0];

        Assert.Equal(Math.Log((0.5 + 0.2) / 2), mixed.Top.Single(t => t.Token == "B").Logprob, 12);
    }

    [Fact]
    public void Mix_DifferentTokenisations_Throw()
    {
        var t1 = Position("A", 0.6, ("A", 0.6));
        var t2 = Position("Ab", 0.6, ("Ab", 0.6));

        Assert.Throws<InvalidDataException>(() => TopKMixture.Mix([(1.0, [t1]), (1.0, [t2])], 2));
        Assert.Throws<InvalidDataException>(() => TopKMixture.Mix([(1.0, [t1]), (1.0, [t1, t1])], 2));
    }

    private static TokenLogprob Position(string token, double p, params (string Token, double P)[] top)
        => new(token, null, Math.Log(p), top.Select(t => new TopLogprob(t.Token, null, Math.Log(t.P), t.Token[0] - 'A' + 5)).ToList(), token[0] - 'A' + 5);
}
