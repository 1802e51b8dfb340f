using LLMDistill.Configuration;
using LLMDistill.Evaluation;
using LLMDistill.Tests.Fixtures;

namespace LLMDistill.Tests.Evaluation.Service;

public sealed class EvaluationSettingsTests
{
    [Fact]
    public void Bind_RepositoryAppSettings_GivesTheDocumentedDefaults()
    {
        var settings = EvaluationSettings.Bind(RepositorySettings.Load());
        var defaults = new EvalOptions();
        var eval = settings.Eval;
        Assert.Equal(
            (defaults.MaxSamples, defaults.BatchSize, defaults.MaxTokensPerBatch, defaults.MaxSequenceLength, defaults.LogitsBudgetMiB, defaults.MaxNewTokens, defaults.References),
            (eval.MaxSamples, eval.BatchSize, eval.MaxTokensPerBatch, eval.MaxSequenceLength, eval.LogitsBudgetMiB, eval.MaxNewTokens, eval.References));
        Assert.Equal(
            (defaults.TextWindowChars, defaults.TextPromptChars, defaults.TextStart, defaults.SpeedNewTokens, defaults.SpeedBatchSize, defaults.SpeedPromptTokens),
            (eval.TextWindowChars, eval.TextPromptChars, eval.TextStart, eval.SpeedNewTokens, eval.SpeedBatchSize, eval.SpeedPromptTokens));
        Assert.Equal((200, 5, "auto"), (eval.MaxSamples, settings.TokenMetrics.TopK, settings.Inference.Device));
    }

    [Theory]
    [InlineData("Eval:References", "teachers", ReferenceSource.Teachers)]
    [InlineData("Eval:References", "Dataset", ReferenceSource.Dataset)]
    public void Bind_ReferenceSource_IsCaseInsensitive(string key, string value, ReferenceSource expected)
        => Assert.Equal(expected, EvaluationSettings.Bind(RepositorySettings.Load((key, value))).Eval.References);

    [Theory]
    [InlineData("Eval:MaxSamples", "0", "Eval:MaxSamples")]
    [InlineData("Eval:LogitsBudgetMiB", "-5", "Eval:LogitsBudgetMiB")]
    [InlineData("Eval:TextStart", "1", "Eval:TextStart")]
    [InlineData("Eval:TextPromptChars", "500", "Eval:TextPromptChars: must be less than TextWindowChars (500)")]
    [InlineData("Eval:References", "best", "Eval:")]
    [InlineData("Inference:Dtype", "int4", "Inference:Dtype")]
    [InlineData("Tokenizer:ChatTemplate", "jinja", "Tokenizer:")]
    public void Bind_BadValue_FailsNamingTheKey(string key, string value, string expected)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => EvaluationSettings.Bind(RepositorySettings.Load((key, value))));
        Assert.Contains(expected, ex.Message);
    }
}
