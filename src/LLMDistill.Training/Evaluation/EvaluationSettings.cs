using LLMDistill.Configuration;
using LLMDistill.Evaluation.Judge;
using LLMDistill.Evaluation.Report;
using LLMDistill.Evaluation.TokenMetrics;
using LLMDistill.Inference;
using LLMDistill.Tokenization;
using Microsoft.Extensions.Configuration;

namespace LLMDistill.Evaluation;

/// <summary>All settings an evaluation reads, bound from their appsettings.json sections.</summary>
/// <param name="Eval">Section <c>Eval</c>: samples, batching, generation, speed.</param>
/// <param name="TokenMetrics">Section <c>Eval:TokenMetrics</c>.</param>
/// <param name="Judge">Section <c>Eval:Judge</c>: the judge runs when <see cref="JudgeOptions.Teacher"/> is set.</param>
/// <param name="Report">Section <c>Eval:Report</c>.</param>
/// <param name="Inference">Section <c>Inference</c>: device, dtype and generation batch size of local models.</param>
/// <param name="Tokenizer">Section <c>Tokenizer</c>: the chat template.</param>
public sealed record EvaluationSettings(
    EvalOptions Eval,
    TokenMetricsOptions TokenMetrics,
    JudgeOptions Judge,
    ReportOptions Report,
    InferenceOptions Inference,
    TokenizerOptions Tokenizer)
{
    /// <summary>Defaults of every section.</summary>
    public static EvaluationSettings Default => new(new(), new(), new(), new(), new(), new());

    /// <summary>Binds and validates every section.</summary>
    /// <param name="configuration">The application configuration.</param>
    /// <returns>The settings.</returns>
    /// <exception cref="OptionsValidationException">A value is invalid; the message names <c>Section:Key</c>.</exception>
    public static EvaluationSettings Bind(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new EvaluationSettings(
            OptionsBinder.Bind<EvalOptions>(configuration, EvalOptions.SectionName),
            OptionsBinder.Bind<TokenMetricsOptions>(configuration, TokenMetricsOptions.SectionName),
            OptionsBinder.Bind<JudgeOptions>(configuration, JudgeOptions.SectionName),
            OptionsBinder.Bind<ReportOptions>(configuration, ReportOptions.SectionName),
            OptionsBinder.Bind<InferenceOptions>(configuration, InferenceOptions.SectionName),
            OptionsBinder.Bind<TokenizerOptions>(configuration, TokenizerOptions.SectionName));
    }
}
