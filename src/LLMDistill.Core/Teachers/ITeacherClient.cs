namespace LLMDistill.Teachers;

/// <summary>
/// One teacher model behind one endpoint: an OpenAI-compatible API, Azure OpenAI, or a local
/// TorchSharp checkpoint. Implementations are thread-safe; concurrency and rate limits are theirs.
/// </summary>
public interface ITeacherClient
{
    /// <summary>The configured teacher name (the key under <c>Teachers</c> in appsettings.json).</summary>
    string Name { get; }

    /// <summary>What this teacher can do (chat, completion, logprobs, full logits).</summary>
    TeacherCapabilities Capabilities { get; }

    /// <summary>Sends one request and returns the teacher's answer(s).</summary>
    /// <param name="request">Prompt or chat messages plus sampling parameters.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The response, with <see cref="TeacherRequest.N"/> choices.</returns>
    /// <exception cref="TeacherException">The teacher failed with a categorised, non-retryable error.</exception>
    Task<TeacherResponse> CompleteAsync(TeacherRequest request, CancellationToken cancellationToken);
}
