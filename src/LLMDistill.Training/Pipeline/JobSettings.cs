using LLMDistill.Evaluation;
using LLMDistill.Generation;
using LLMDistill.Tokenization;
using LLMDistill.Training.Options;

namespace LLMDistill.Pipeline;

/// <summary>Everything the <c>run</c> job needs, bound, validated and resolved before any work starts.</summary>
/// <param name="Run">The <c>Run</c> section.</param>
/// <param name="RunDirectory">The run's folder (dataset, splits, students, eval, ledger).</param>
/// <param name="Generate">The <c>Generate</c> section (its output directory is replaced by the run's <c>dataset/</c>).</param>
/// <param name="Train">Fresh, validated <c>Train</c> options with model settings resolved to directories; called once per student.</param>
/// <param name="Evaluation">The evaluation settings.</param>
/// <param name="Teacher">The teacher the students learn from.</param>
/// <param name="TeacherIdentities">Teacher name → what identifies its outputs, part of the generation hash.</param>
/// <param name="BaseDirectory">The directory relative seed and prompt paths start from.</param>
/// <param name="ChatTemplate">The chat template family of chat samples (<c>Tokenizer:ChatTemplate</c>).</param>
public sealed record JobSettings(
    RunOptions Run,
    string RunDirectory,
    GenerateOptions Generate,
    Func<TrainOptions> Train,
    EvaluationSettings Evaluation,
    JobTeacher Teacher,
    IReadOnlyDictionary<string, string> TeacherIdentities,
    string BaseDirectory,
    ChatTemplateKind ChatTemplate = ChatTemplateKind.Auto);
