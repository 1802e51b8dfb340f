namespace LLMDistill.Pipeline;

/// <summary>The teacher the run's students learn from.</summary>
/// <param name="Name">Its name under <c>Teachers</c>.</param>
/// <param name="Directory">The model directory of a local teacher (token-level targets and token-level metrics), or null for an API teacher.</param>
/// <param name="Model">What identifies the model (its directory name or the API model), for the run's name and the report.</param>
public sealed record JobTeacher(string Name, string? Directory, string Model)
{
    /// <summary>Whether the teacher runs in process, so its full distributions are available.</summary>
    public bool IsLocal => Directory is not null;
}
