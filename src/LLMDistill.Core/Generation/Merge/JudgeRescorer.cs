using System.Globalization;
using LLMDistill.Data;
using LLMDistill.Generation.Prompts;
using LLMDistill.Generation.Scoring;
using LLMDistill.Teachers;

namespace LLMDistill.Generation.Merge;

/// <summary>
/// Re-scores existing samples with the configured judge (for <c>merge --rescore</c>): a new rubric score, combined
/// with the sample's existing perplexity, IFD and format parts using the current weights.
/// </summary>
public sealed class JudgeRescorer(ITeacherClient judge, PromptLibrary prompts, ScoreOptions options, int seed)
{
    /// <summary>The sample's new scores; when the judge's reply holds no score the judge part is left out.</summary>
    /// <exception cref="TeacherException">The judge failed.</exception>
    public async Task<TeachingScores> RescoreAsync(DistillationSample sample, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var template = prompts[sample.Mode == TeacherMode.Chat ? TemplateNames.Judge : TemplateNames.JudgeCompletion];
        var sampling = options.JudgeSampling.ToParameters(ContentHash.SeedOf(seed.ToString(CultureInfo.InvariantCulture), "judge", sample.Id));
        var response = await judge.CompleteAsync(JudgePrompt.Build(template, sample.Mode, sample.Instruction, sample.Input, sample.Response, sampling), cancellationToken);
        var judgeScore = JudgeResponseParser.Parse(response.Text, [sample.Instruction, sample.Input, sample.Response]);
        var old = sample.Scores;
        var format = old?.Format ?? FormatCheck.Score(sample.Mode, sample.Response, "stop", options);
        return TeachingScore.Combine(judgeScore, old?.Perplexity, old?.Ifd, format, options);
    }
}
