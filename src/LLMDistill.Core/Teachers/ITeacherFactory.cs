namespace LLMDistill.Teachers;

/// <summary>
/// Creates the teachers named under <c>Teachers:&lt;name&gt;</c> in configuration, each already wrapped in its
/// cache, accounting, rate limits and resilience. Owns the clients it creates and disposes them.
/// </summary>
public interface ITeacherFactory : IAsyncDisposable
{
    /// <summary>The configured teacher names.</summary>
    IReadOnlyList<string> TeacherNames { get; }

    /// <summary>Creates (or returns the already created) teacher <paramref name="name"/>.</summary>
    /// <param name="name">A key under <c>Teachers</c>.</param>
    /// <param name="cancellationToken">Cancels model loading or downloading.</param>
    /// <returns>The ready teacher.</returns>
    /// <exception cref="LLMDistill.Configuration.OptionsValidationException">The teacher is unknown or misconfigured; the message names the key.</exception>
    ValueTask<ITeacherClient> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>Requests, tokens and cost so far, per teacher (for progress display and run manifests).</summary>
    IReadOnlyList<TeacherUsageReport> Usage();
}
