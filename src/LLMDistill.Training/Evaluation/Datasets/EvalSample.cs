using LLMDistill.Teachers;
using LLMDistill.Tokenization;

namespace LLMDistill.Evaluation.Datasets;

/// <summary>One held-out example: a task (chat) or a text to continue (completion), with the reference answer when the data has one.</summary>
/// <param name="Id">The dataset row's id, or <c>file:line</c>.</param>
/// <param name="Mode">Chat (rendered with each model's chat template) or completion (raw text continued).</param>
/// <param name="Instruction">The task, or the text to continue.</param>
/// <param name="Input">Optional extra input of a chat task (Alpaca style), appended to the instruction.</param>
/// <param name="Reference">The reference answer (the dataset's response); null when the data has none.</param>
/// <param name="Source">Where it was read, <c>file:line</c>, for error messages.</param>
public sealed record EvalSample(string Id, TeacherMode Mode, string Instruction, string? Input, string? Reference, string Source)
{
    /// <summary>The user message of a chat task: the instruction, then the input after a blank line when there is one.</summary>
    public string UserMessage => SampleEncoder.UserMessage(Instruction, Input);
}
