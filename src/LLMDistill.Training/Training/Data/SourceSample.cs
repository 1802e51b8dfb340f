using LLMDistill.Teachers;

namespace LLMDistill.Training.Data;

/// <summary>A sample as read from a dataset directory or a JSONL file, before tokenisation.</summary>
/// <param name="Key">Stable identity used to choose the held-out split (the dataset id, else a content hash).</param>
/// <param name="Mode">Chat (rendered with the chat template) or completion (raw text continued).</param>
/// <param name="Prompt">The instruction (chat) or the text to continue (completion).</param>
/// <param name="Input">Optional extra input of a chat task.</param>
/// <param name="Response">The teacher's answer.</param>
/// <param name="Logprobs">Stored per-token logprobs of the response, or null.</param>
/// <param name="Location"><c>file:line</c>, for messages.</param>
internal sealed record SourceSample(string Key, TeacherMode Mode, string Prompt, string? Input, string Response, IReadOnlyList<TokenLogprob>? Logprobs, string Location);
