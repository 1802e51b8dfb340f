using LLMDistill.Teachers;

namespace LLMDistill.Generation.Seeds;

/// <summary>One seed task: an instruction for chat teachers or a text prefix for base-model teachers.</summary>
/// <param name="Id">The seed's own <c>id</c>, else <c>file:line</c>.</param>
/// <param name="Text">The instruction (chat) or prefix to continue (completion).</param>
/// <param name="Input">Optional input of the task.</param>
/// <param name="Category">Optional category (writing, reasoning, coding, ...), used by quotas.</param>
/// <param name="Mode">The mode the seed is written for, or null when it suits any.</param>
/// <param name="Location"><c>file:line</c> where it was read.</param>
public sealed record SeedTask(string Id, string Text, string? Input, string? Category, TeacherMode? Mode, string Location);
