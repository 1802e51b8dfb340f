using LLMDistill.Tokenization;
using LLMDistill.Training.Options;

namespace LLMDistill.Training;

/// <summary>What <see cref="TrainingService.RunAsync"/> trains.</summary>
/// <param name="Options">The validated <c>Train</c> options (see <see cref="TrainOptionsReader"/>).</param>
/// <param name="Resume">
/// null for a fresh run; a checkpoint directory; <c>latest</c> (the newest checkpoint under the output directory, an
/// error when there is none) or <c>auto</c> (the newest if any, else a fresh run).
/// </param>
/// <param name="ChatTemplate">Chat template family used to render chat samples (<c>Tokenizer:ChatTemplate</c>).</param>
public sealed record TrainingRequest(TrainOptions Options, string? Resume = null, ChatTemplateKind ChatTemplate = ChatTemplateKind.Auto);
