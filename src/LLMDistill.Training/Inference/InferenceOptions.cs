namespace LLMDistill.Inference;

/// <summary>The <c>Inference</c> section of appsettings.json: where and how the evaluation runs its in-process models (student and local teachers).</summary>
public sealed class InferenceOptions : ModelRuntimeOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Inference";
}
