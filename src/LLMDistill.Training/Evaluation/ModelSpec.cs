namespace LLMDistill.Evaluation;

/// <summary>
/// A model taking part in an evaluation: a local Hugging Face model directory (every metric), or a named API teacher
/// from <c>Teachers:&lt;name&gt;</c> (sequence-level and judge metrics only, as it offers no full distributions).
/// </summary>
/// <param name="Name">The name the metrics and the report use; unique within an evaluation.</param>
/// <param name="Directory">The model directory, or null for an API teacher.</param>
public sealed record ModelSpec(string Name, string? Directory)
{
    /// <summary>Whether the model runs in process from <see cref="Directory"/>.</summary>
    public bool IsLocal => Directory is not null;

    /// <summary>A local model directory.</summary>
    /// <param name="name">Its name in the report.</param>
    /// <param name="directory">The Hugging Face model directory.</param>
    /// <returns>The spec.</returns>
    public static ModelSpec Local(string name, string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        return new ModelSpec(name, directory);
    }

    /// <summary>A teacher configured under <c>Teachers:&lt;name&gt;</c>, reached through an <see cref="Teachers.ITeacherFactory"/>.</summary>
    /// <param name="name">The configured teacher name.</param>
    /// <returns>The spec.</returns>
    public static ModelSpec Api(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new ModelSpec(name, null);
    }
}
