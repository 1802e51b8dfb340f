using LLMDistill.Evaluation;
using LLMDistill.Tests.Fixtures;

namespace LLMDistill.Tests.Evaluation.Service;

/// <summary>Small, fast settings and shared paths for service and command tests.</summary>
internal static class EvalFixtures
{
    public static string Small => SharedPaths.Model("shakespeare-1m");

    public static string Large => SharedPaths.Model("shakespeare-4m");

    public static string Text => SharedPaths.Data("tinyshakespeare.txt");

    /// <summary>A few held-out windows, short generations and a tiny speed run: a whole evaluation in a few seconds.</summary>
    public static EvaluationSettings FastSettings(int samples = 6)
    {
        var settings = EvaluationSettings.Default;
        settings.Eval.MaxSamples = samples;
        settings.Eval.TextStart = 0.9;
        settings.Eval.MaxNewTokens = 8;
        settings.Eval.SpeedNewTokens = 3;
        settings.Eval.SpeedBatchSize = 2;
        settings.Eval.SpeedPromptTokens = 4;
        settings.Inference.Device = "cpu";
        settings.Judge.TemplatePath = Path.Combine(SharedPaths.RepoRoot, "prompts", "judge-pairwise.md");
        return settings;
    }
}
