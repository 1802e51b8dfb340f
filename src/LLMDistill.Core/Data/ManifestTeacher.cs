namespace LLMDistill.Data;

/// <summary>A teacher named in a manifest.</summary>
/// <param name="Name">Configured name (key under <c>Teachers</c>).</param>
/// <param name="Role">expand, answer, judge or score.</param>
/// <param name="Models">Models the endpoint reported in its responses (empty when it was never called).</param>
public sealed record ManifestTeacher(string Name, string Role, IReadOnlyList<string> Models);
