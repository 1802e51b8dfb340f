namespace LLMDistill.Teachers;

/// <summary>
/// Creates the raw client of one teacher kind. <see cref="TeacherFactory"/> wraps what it returns in the response
/// cache, cost accounting, rate limits and resilience, so a provider only speaks to its model. OpenAI-compatible and
/// Azure providers are built in; LLMDistill.Training registers the <c>local</c> kind.
/// </summary>
public interface ITeacherClientProvider
{
    /// <summary>The <see cref="TeacherOptions.Kind"/> this provider serves (case-insensitive).</summary>
    string Kind { get; }

    /// <summary>Checks the kind-specific settings of a teacher without creating anything, at start-up.</summary>
    /// <param name="definition">The teacher.</param>
    /// <exception cref="Configuration.OptionsValidationException">A setting is missing or invalid; the message names <c>Teachers:&lt;name&gt;:&lt;Key&gt;</c>.</exception>
    void Validate(TeacherDefinition definition);

    /// <summary>Creates the teacher's client. The factory owns it and disposes it if it is disposable.</summary>
    /// <param name="definition">The validated teacher.</param>
    /// <param name="cancellationToken">Cancels model loading.</param>
    /// <returns>The raw client; implement <see cref="IStreamingTeacherClient"/> and <see cref="IScoringTeacherClient"/> where supported.</returns>
    ValueTask<ITeacherClient> CreateAsync(TeacherDefinition definition, CancellationToken cancellationToken);
}
