namespace LLMDistill.Teachers.Decorators;

/// <summary>
/// For a raw client whose type implements streaming or scoring but whose configuration turns it off (an OpenAI
/// endpoint without <c>echo</c> support cannot score): the factory's view then hides that interface.
/// </summary>
internal interface ITeacherFeatures
{
    /// <summary>Whether <see cref="IStreamingTeacherClient.StreamAsync"/> works for this teacher.</summary>
    bool CanStream { get; }

    /// <summary>Whether <see cref="IScoringTeacherClient.ScoreAsync"/> works for this teacher.</summary>
    bool CanScore { get; }
}
