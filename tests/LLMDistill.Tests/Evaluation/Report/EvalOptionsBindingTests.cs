using LLMDistill.Configuration;
using LLMDistill.Evaluation.Judge;
using LLMDistill.Evaluation.Report;
using LLMDistill.Evaluation.TokenMetrics;
using LLMDistill.Tests.Fixtures;

namespace LLMDistill.Tests.Evaluation.Report;

public sealed class EvalOptionsBindingTests
{
    [Fact]
    public void Bind_RepositoryAppSettings_GivesTheDocumentedDefaults()
    {
        var config = RepositorySettings.Load();
        var token = OptionsBinder.Bind<TokenMetricsOptions>(config, TokenMetricsOptions.SectionName);
        var judge = OptionsBinder.Bind<JudgeOptions>(config, JudgeOptions.SectionName);
        var report = OptionsBinder.Bind<ReportOptions>(config, ReportOptions.SectionName);
        Assert.Equal((5, 15, 40, 4.0), (token.TopK, token.CalibrationBins, token.KlHistogramBins, token.KlHistogramMax));
        Assert.Equal(("prompts/judge-pairwise.md", 4, 0f, 512, 200), (judge.TemplatePath, judge.MaxConcurrency, judge.Temperature, judge.MaxTokens, judge.MaxPairs));
        Assert.Null(judge.Teacher);
        Assert.Equal((900, 420), (report.PlotWidth, report.PlotHeight));
    }

    [Theory]
    [InlineData("Eval:TokenMetrics:TopK", "0", "Eval:TokenMetrics:TopK")]
    [InlineData("Eval:TokenMetrics:KlHistogramMax", "-1", "Eval:TokenMetrics:KlHistogramMax")]
    [InlineData("Eval:Judge:MaxConcurrency", "0", "Eval:Judge:MaxConcurrency")]
    [InlineData("Eval:Judge:Temperature", "5", "Eval:Judge:Temperature")]
    [InlineData("Eval:Report:PlotWidth", "10", "Eval:Report:PlotWidth")]
    public void Bind_OutOfRangeValue_FailsNamingTheKey(string key, string value, string expected)
    {
        var config = RepositorySettings.Load((key, value));
        var section = string.Join(':', key.Split(':')[..2]);
        var ex = Assert.Throws<OptionsValidationException>(() => section switch
        {
            TokenMetricsOptions.SectionName => (object)OptionsBinder.Bind<TokenMetricsOptions>(config, section),
            JudgeOptions.SectionName => OptionsBinder.Bind<JudgeOptions>(config, section),
            _ => OptionsBinder.Bind<ReportOptions>(config, section),
        });
        Assert.Contains(expected, ex.Message);
    }
}
