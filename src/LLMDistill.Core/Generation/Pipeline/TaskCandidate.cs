using LLMDistill.Teachers;

namespace LLMDistill.Generation.Pipeline;

/// <summary>A task on its way through the pipeline (a seed or a generated task).</summary>
/// <param name="Key">Unique position in the run: <c>seed:&lt;id&gt;</c> or <c>x&lt;round&gt;.&lt;request&gt;.&lt;item&gt;</c>.</param>
/// <param name="TaskId">Content hash of mode + normalised text + input.</param>
/// <param name="Mode">Chat or completion.</param>
/// <param name="Text">Instruction or prefix.</param>
/// <param name="Input">Optional input.</param>
/// <param name="SeedId">The seed it descends from.</param>
/// <param name="Category">Category for quotas.</param>
/// <param name="Origin">seed, self-instruct, evol:op, completion.</param>
/// <param name="TemplateHash">Hash of the template that produced it (<c>seed</c> for seeds).</param>
/// <param name="ExampleOnly">A seed used only as an example (IncludeSeeds = false): indexed for dedupe, never answered.</param>
/// <param name="Rejection">A reason it was rejected before dedupe, or null.</param>
internal sealed record TaskCandidate(
    string Key,
    string TaskId,
    TeacherMode Mode,
    string Text,
    string? Input,
    string SeedId,
    string? Category,
    string Origin,
    string TemplateHash,
    bool ExampleOnly,
    string? Rejection)
{
    /// <summary>The text that deduplication compares.</summary>
    public string DedupeText => Input is null ? Text : Text + "\n" + Input;

    public static string TaskIdOf(TeacherMode mode, string text, string? input)
        => ContentHash.Of(mode.ToString(), ContentHash.Normalize(text), input is null ? null : ContentHash.Normalize(input));
}
