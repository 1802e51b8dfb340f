using LLMDistill.Generation;
using LLMDistill.Generation.Scoring;
using LLMDistill.Teachers;

namespace LLMDistill.Tests.Generation;

public sealed class ScoringTests
{
    [Fact]
    public void Perplexity_IsExpOfMeanNegativeLogprob()
    {
        var tokens = new[] { -1.0, -2.0, -3.0 }.Select(lp => new TokenLogprob("t", null, lp, [])).ToList();

        Assert.Equal(Math.Exp(2.0), Likelihood.Perplexity(tokens)!.Value, 12);
        Assert.Null(Likelihood.Perplexity([]));
    }

    [Fact]
    public void Ifd_IsConditionalOverUnconditionalPerplexity()
    {
        Assert.Equal(0.5, Likelihood.Ifd(4, 8));
        Assert.Null(Likelihood.Ifd(4, null));
        Assert.Equal(0.5, Likelihood.IfdScore(0.5));
        Assert.Equal(0, Likelihood.IfdScore(1.2));
    }

    [Fact]
    public void PerplexityScore_IsLogLinearBetweenOneAndMax()
    {
        Assert.Equal(1, Likelihood.PerplexityScore(1, 100));
        Assert.Equal(0.5, Likelihood.PerplexityScore(10, 100), 12);
        Assert.Equal(0, Likelihood.PerplexityScore(1000, 100));
    }

    [Fact]
    public void Combine_WeightedMeanOfAvailableParts_KeepsRawValues()
    {
        var options = new ScoreOptions { JudgeWeight = 2, PerplexityWeight = 0, IfdWeight = 1, FormatWeight = 1 };

        var scores = TeachingScore.Combine(new JudgeScore(10, "great"), perplexity: 5, ifd: 0.4, format: 0.5, options);

        Assert.Equal(((2 * 1.0) + (1 * 0.4) + (1 * 0.5)) / 4, scores.Combined, 6);
        Assert.Equal(1, scores.Judge);
        Assert.Equal(5, scores.Perplexity);
        Assert.Equal(0.4, scores.Ifd);
        Assert.Equal("great", scores.JudgeRationale);
        Assert.Equal(0.5, TeachingScore.Combine(null, null, null, 0.5, options).Combined);
    }

    [Fact]
    public void FormatCheck_PenalisesTruncationRepetitionAndRefusals()
    {
        var options = new ScoreOptions();
        Assert.Equal(1, FormatCheck.Score(TeacherMode.Chat, "A clear, complete answer with a few different words in it.", "stop", options));
        Assert.True(FormatCheck.Score(TeacherMode.Chat, "Cut off mid", "length", options) < 1);
        Assert.True(FormatCheck.Score(TeacherMode.Chat, string.Concat(Enumerable.Repeat("the cat sat down ", 20)), "stop", options) < 1);
        Assert.True(FormatCheck.Score(TeacherMode.Chat, "As an AI language model, I cannot help.", "stop", options) < 1);
        Assert.Equal(RejectionReasons.AnswerEmpty, FormatCheck.Reject("   ", "stop", options));
        Assert.Equal(RejectionReasons.AnswerContentFilter, FormatCheck.Reject("x", "content_filter", options));
        Assert.Null(FormatCheck.Reject("fine", "stop", options));
    }
}
